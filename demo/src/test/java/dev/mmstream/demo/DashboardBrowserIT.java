package dev.mmstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.ingest.pipeline.IngestOutcome;
import dev.mmstream.ingest.pipeline.IngestPipeline;
import dev.mmstream.ingest.pipeline.Pacer;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.ingest.publish.KafkaFeatureSink;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.ingest.video.ThumbnailSampler;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.LabelScore;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.Thumbnail;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in a real browser. Predictions produced to a real broker, and the thumbnails of a real
 * ingest of a clip of a real photo of a person, travel the demo's own path ({@link LiveDashboard}: feed, server,
 * server-sent events) into headless Debian Chromium, driven by {@code tests/browser/dashboard.mjs} with
 * playwright-core. Checked there and here: the stream's row appears and its timeline grows; top labels, model,
 * modalities, gates; the thumbnail with the face box in the decision's colour where ingest found the face
 * (pixels of the screenshot); the hover's scores against their thresholds, the modality strip and the time
 * axis in the stream's event time; the trailers view with a genre prediction; and a list of 25 streams that
 * turns compact, searches and sorts. The screenshots go to {@code demo/target/}. Needs node,
 * {@code tests/browser/node_modules}, {@code /usr/bin/chromium} and ffmpeg, which {@code ./mmstream test} installs.
 */
class DashboardBrowserIT {
  private static final Topics TOPICS = Topics.defaults();
  private static final Path ROOT = Path.of(System.getProperty("mmstream.root", "..")).toAbsolutePath().normalize();
  private static final Path BUILD = Path.of(System.getProperty("mmstream.build", "target")).toAbsolutePath();
  private static final Path SCRIPT = ROOT.resolve("tests/browser/dashboard.mjs");
  private static final Path PLAYWRIGHT = ROOT.resolve("tests/browser/node_modules/playwright-core");
  private static final Path PHOTO = ROOT.resolve("models/node_modules/@vladmandic/face-api/demo/sample1.jpg");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOT = BUILD.resolve("dashboard-browser.png");
  private static final Path THUMBNAIL = BUILD.resolve("dashboard-thumbnail.png");
  private static final Path TRAILERS = BUILD.resolve("dashboard-trailers.png");
  private static final Path COMPACT = BUILD.resolve("dashboard-compact.png");
  /** A loaded 2-core machine: each step in the browser may take tens of seconds. */
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final int FIRST = 3;
  private static final int MORE = 3;
  private static final int HOVER = 4;
  private static final int EXTRA_STREAMS = 24;
  private static final long ORIGIN_MS = StreamRequest.originNow();
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int HAPPY = 0xF0E442; // Okabe-Ito yellow: the page's colour for happy

  @TempDir Path dir;

  @Test
  void theBrowserShowsLivePredictionsThumbnailsAndTrailersFromTheBroker() throws Exception {
    requireBrowserTools();
    for (Path shot : List.of(SCREENSHOT, THUMBNAIL, TRAILERS, COMPACT)) {
      Files.deleteIfExists(shot);
    }
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dir.resolve("broker"), 1));
        var producer = producer(broker.bootstrapServers())) {
      TopicProvisioner.ensureTopics(broker.bootstrapServers(), TOPICS, 1);
      try (var dashboard = new LiveDashboard(broker.bootstrapServers(), TOPICS, 0)) {
        dashboard.start();
        await("the feed reads the prediction and thumbnail topics").atMost(STEP).until(dashboard::reading);
        ingestFaceClip(broker.bootstrapServers());
        Thumbnail shown = lastThumbnail(broker.bootstrapServers());
        assertThat(shown.getFace()).as("ingest found the face in the photo").isNotNull();
        for (int i = 0; i < FIRST; i++) {
          send(producer, TOPICS.emotionPredictions(), camWindow(i));
        }
        send(producer, TOPICS.genrePredictions(), trailer());

        try (var browser = NodeScript.start(SCRIPT, scriptArgs(dashboard.port()), Map.of("TMPDIR", BUILD.resolve("tmp").toString()))) {
          assertThat(browser.awaitLine("row cam-1:", STEP)).as("the row as the browser first saw it; output:\n%s", browser.output())
              .contains("row cam-1: " + FIRST + " timeline points");
          for (int i = FIRST; i < FIRST + MORE; i++) {
            send(producer, TOPICS.emotionPredictions(), camWindow(i));
          }
          assertThat(browser.awaitLine("waiting for", STEP.multipliedBy(2))).as("output:\n%s", browser.output()).isPresent();
          for (int k = 1; k <= EXTRA_STREAMS; k++) {
            send(producer, TOPICS.emotionPredictions(), extraStream(k));
          }

          assertThat(browser.awaitExit(STEP.multipliedBy(3))).as("exit code of the browser script; output:\n%s", browser.output()).isZero();
          var lines = browser.lines();
          assertThat(lines).contains(
              "grew cam-1: " + (FIRST + MORE) + " timeline points",
              "checked cam-1: labels happy, surprise, sad; model emotion-hybrid v7; gates audio 0.30, text 0.20, video 0.50",
              "strip cam-1 window " + HOVER + ": present text,audio,video; drove video",
              "trailer trailer-1: genres action, thriller; scores action 0.81, thriller 0.64, drama 0.30, horror 0.22,"
                  + " comedy 0.12; modalities text, audio, video",
              "list: " + (EXTRA_STREAMS + 1) + " streams, compact yes, first extra-" + EXTRA_STREAMS,
              "search cam-1: cam-1",
              "sorted by name: first cam-1",
              "ok");
          assertHover(line(lines, "hover cam-1 window " + HOVER + ": "));
          assertAxis(line(lines, "axis cam-1: "));
          assertThumbnail(line(lines, "thumbnail cam-1: "), shown);
        }
      }
    }
    for (Path shot : List.of(SCREENSHOT, TRAILERS, COMPACT)) {
      var image = ImageIO.read(shot.toFile());
      assertThat(image).as("%s is a PNG", shot).isNotNull();
      assertThat(image.getWidth()).as("%s width", shot).isEqualTo(1280);
    }
  }

  /** The tooltip of window {@link #HOVER}: its time range, each score against its threshold, what drove it. */
  private static void assertHover(String tip) {
    var w = camWindow(HOVER);
    assertThat(tip).startsWith("cam-1 · " + CLOCK.format(Instant.ofEpochMilli(w.getWindowStartMs())) + "–"
        + CLOCK.format(Instant.ofEpochMilli(w.getWindowEndMs())) + " (event time)");
    for (LabelScore l : w.getLabels()) {
      assertThat(tip).contains(String.format(Locale.ROOT, "%s %-8s %.2f %s %.2f",
          l.getDecision() ? "✓" : " ", l.getLabel(), l.getScore(), l.getDecision() ? "≥" : "<", l.getThreshold()).stripTrailing());
    }
    assertThat(tip).contains("✓ happy    0.77 ≥ 0.50").contains("modalities: text, audio, video").endsWith("driven by: video (gate 0.50)");
  }

  /** At most five ticks: every other window of the six here, each at its window's end in the stream's event time (UTC). */
  private static void assertAxis(String ticks) {
    var expected = new ArrayList<String>();
    for (int i = 0; i < FIRST + MORE; i += 2) {
      long end = camWindow(i).getWindowEndMs();
      expected.add(end + "=" + CLOCK.format(Instant.ofEpochMilli(end)));
    }
    assertThat(ticks.split(", ")).containsExactlyElementsOf(expected);
  }

  /**
   * The canvas as the browser drew it: the face box where ingest found the face, its edges in happy's colour
   * (the decision of the thumbnail's window), the photo inside it.
   */
  private static void assertThumbnail(String line, Thumbnail shown) throws IOException {
    var m = java.util.regex.Pattern.compile("box (\\d+),(\\d+),(\\d+),(\\d+) colour (#\\w+) decision (\\S+) canvas (\\d+)x(\\d+)")
        .matcher(line);
    assertThat(m.find()).as(line).isTrue();
    int x = Integer.parseInt(m.group(1));
    int y = Integer.parseInt(m.group(2));
    int w = Integer.parseInt(m.group(3));
    int h = Integer.parseInt(m.group(4));
    assertThat(m.group(5)).isEqualToIgnoringCase("#F0E442");
    assertThat(m.group(6)).isEqualTo("happy");
    int canvasW = Integer.parseInt(m.group(7));
    int canvasH = Integer.parseInt(m.group(8));
    assertThat(canvasH).isEqualTo(Math.round((float) canvasW * shown.getHeight() / shown.getWidth()));
    List<Float> box = shown.getFace().getBox();
    assertThat(x).isCloseTo((int) Math.round(box.get(0) * canvasW), within(1));
    assertThat(y).isCloseTo((int) Math.round(box.get(1) * canvasH), within(1));
    assertThat(w).isCloseTo((int) Math.round(box.get(2) * canvasW), within(1));
    assertThat(h).isCloseTo((int) Math.round(box.get(3) * canvasH), within(1));

    BufferedImage shot = ImageIO.read(THUMBNAIL.toFile());
    assertThat(shot).as("%s is a PNG", THUMBNAIL).isNotNull();
    assertThat(shot.getWidth()).isEqualTo(canvasW);
    // the element's box may start between two device pixels: the shot then has one row more, the canvas one lower
    assertThat(shot.getHeight()).isBetween(canvasH, canvasH + 1);
    int dy = shot.getHeight() == canvasH ? 0
        : share(shot, x + 3, x + w - 3, y + 1, y + 1, HAPPY) > share(shot, x + 3, x + w - 3, y, y, HAPPY) ? 1 : 0;
    int top = y + dy;
    // the stroke is 3 px wide around the edge: the edge's own row and column are fully the box's colour
    assertThat(share(shot, x + 3, x + w - 3, top, top, HAPPY)).as("top edge in happy's colour").isGreaterThan(0.9);
    assertThat(share(shot, x + 3, x + w - 3, top + h, top + h, HAPPY)).as("bottom edge").isGreaterThan(0.9);
    assertThat(share(shot, x, x, top + 3, top + h - 3, HAPPY)).as("left edge").isGreaterThan(0.9);
    assertThat(share(shot, x + w, x + w, top + 3, top + h - 3, HAPPY)).as("right edge").isGreaterThan(0.9);
    assertThat(share(shot, x + 4, x + w - 4, top + 4, top + h - 4, HAPPY)).as("inside the box: the face, not the box colour")
        .isLessThan(0.05);
    assertThat(greySpread(shot, x + 4, x + w - 4, top + 4, top + h - 4)).as("the face's pixels vary").isGreaterThan(15.0);
  }

  private static String line(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()))
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + String.join("\n", lines)));
  }

  /** Share of the pixels in [x0, x1] x [y0, y1] within 24 of {@code rgb} in every channel. */
  private static double share(BufferedImage image, int x0, int x1, int y0, int y1, int rgb) {
    int near = 0;
    int all = 0;
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        int p = image.getRGB(x, y);
        boolean close = true;
        for (int shift = 0; shift <= 16; shift += 8) {
          close &= Math.abs((p >> shift & 255) - (rgb >> shift & 255)) <= 24;
        }
        near += close ? 1 : 0;
        all++;
      }
    }
    return (double) near / all;
  }

  private static double greySpread(BufferedImage image, int x0, int x1, int y0, int y1) {
    double sum = 0;
    double squares = 0;
    int n = 0;
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        int p = image.getRGB(x, y);
        double grey = ((p >> 16 & 255) + (p >> 8 & 255) + (p & 255)) / 3.0;
        sum += grey;
        squares += grey * grey;
        n++;
      }
    }
    double mean = sum / n;
    return Math.sqrt(squares / n - mean * mean);
  }

  /** Missing tools fail the test, never skip it: a browser test that silently skips proves nothing. */
  private static void requireBrowserTools() {
    String fix = " (./mmstream test installs it)";
    assertThat(onPath("node")).as("node is not on PATH" + fix).isTrue();
    assertThat(onPath("ffmpeg")).as("ffmpeg is not on PATH" + fix).isTrue();
    assertThat(PLAYWRIGHT).as("playwright-core is not installed in tests/browser" + fix).isDirectory();
    assertThat(CHROMIUM).as("Debian's chromium is not installed" + fix).isExecutable();
    assertThat(PHOTO).as("face-api's demo photo is missing" + fix).isRegularFile();
  }

  /**
   * ingest --thumbnails, as the demo runs it, of a 3-second clip of a real photo of a person as stream cam-1/1:
   * its thumbnails (event times origin + 0, 1, 2 s) fall in the windows the test then produces.
   */
  private void ingestFaceClip(String bootstrap) throws Exception {
    Path clip = dir.resolve("face.mkv");
    var ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-loop", "1", "-i", PHOTO.toString(),
        "-t", "3", "-r", "25", "-vf", "scale=640:-2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        clip.toString()).redirectErrorStream(true).start();
    String ffmpegOutput = new String(ffmpeg.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(ffmpeg.waitFor()).as("ffmpeg: %s", ffmpegOutput).isZero();
    var request = new StreamRequest("cam-1/1", SourceUri.parse(clip.toString()), Optional.empty(), Task.EMOTION, Map.of(), ORIGIN_MS);
    try (var featurizers = Featurizers.forTask(ROOT.resolve("models"), Task.EMOTION);
        var sink = new KafkaFeatureSink(bootstrap, TOPICS, ORIGIN_MS, Map.of())) {
      var outcome = new IngestPipeline(featurizers, new DecoderOptions(5, Duration.ofSeconds(10)), Pacer.AS_FAST_AS_POSSIBLE, ms -> { })
          .withThumbnails(ThumbnailSampler.Options.DEFAULT).run(request, sink);
      assertThat(outcome).as("ingest of the face clip").isInstanceOf(IngestOutcome.Completed.class);
    }
  }

  /** The newest thumbnail on the topic: the one the page shows. */
  private static Thumbnail lastThumbnail(String bootstrap) {
    var topic = TOPICS.videoThumbnails();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "thumbnail-check", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      var seen = new ArrayList<Thumbnail>();
      long deadline = System.currentTimeMillis() + STEP.toMillis();
      while (seen.size() < 3 && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
      }
      assertThat(seen).as("thumbnails of the 3-second clip").extracting(Thumbnail::getPtsMs).containsExactly(0L, 1000L, 2000L);
      return seen.get(seen.size() - 1);
    }
  }

  private static List<String> scriptArgs(int port) {
    return List.of("--url", "http://127.0.0.1:" + port + "/", "--stream", "cam-1",
        "--first", Integer.toString(FIRST), "--then", Integer.toString(FIRST + MORE),
        "--labels", "happy,surprise,sad", "--on", "happy", "--model", "emotion-hybrid v7",
        "--modalities", "text,audio,video", "--gates", "text=0.20,audio=0.30,video=0.50",
        "--thumbnail-decision", "happy", "--thumbnail-out", THUMBNAIL.toString(), "--hover", Integer.toString(HOVER),
        "--genre-stream", "trailer-1", "--genre-tags", "action,thriller",
        "--many", Integer.toString(EXTRA_STREAMS + 1), "--search", "cam-1",
        "--screenshot", SCREENSHOT.toString(), "--trailers-screenshot", TRAILERS.toString(),
        "--compact-screenshot", COMPACT.toString(),
        "--chromium", CHROMIUM.toString(), "--timeout-ms", Long.toString(STEP.toMillis()));
  }

  /** Window i of the demo's first pass over cam-1: happy rises, surprise falls, as a live stream would. */
  private static Prediction camWindow(int i) {
    var labels = List.of(label("anger", 0.03f), label("disgust", 0.02f), label("fear", 0.04f),
        label("happy", 0.45f + 0.08f * i), label("sad", 0.15f), label("surprise", 0.40f - 0.04f * i));
    return prediction("cam-1/1", Task.EMOTION, ORIGIN_MS + i * 1000L, labels, "emotion-hybrid", "7");
  }

  /** Another live stream with one window, later than cam-1's: stream k decided most recently of the first k. */
  private static Prediction extraStream(int k) {
    var labels = List.of(label("anger", 0.05f), label("disgust", 0.03f), label("fear", 0.61f),
        label("happy", 0.10f), label("sad", 0.20f), label("surprise", 0.15f));
    return prediction(String.format(Locale.ROOT, "extra-%02d/1", k), Task.EMOTION, ORIGIN_MS + 100_000L + k * 1000L, labels,
        "emotion-hybrid", "7");
  }

  private static Prediction trailer() {
    var labels = List.of(label("action", 0.81f), label("comedy", 0.12f), label("drama", 0.30f),
        label("horror", 0.22f), label("thriller", 0.64f));
    return prediction("trailer-1/1", Task.GENRE, ORIGIN_MS, labels, "genre-hybrid", "2");
  }

  private static LabelScore label(String name, float score) {
    return new LabelScore(name, score, 0.5f, score >= 0.5f);
  }

  private static Prediction prediction(String stream, Task task, long start, List<LabelScore> labels, String model, String version) {
    return Prediction.newBuilder()
        .setStreamId(stream).setTask(task).setWindowStartMs(start).setWindowEndMs(start + 4000)
        .setLabels(labels)
        .setModalitiesPresent(List.of(Modality.TEXT, Modality.AUDIO, Modality.VIDEO))
        .setGates(new TreeMap<>(Map.of("text", 0.20f, "audio", 0.30f, "video", 0.50f)))
        .setModelName(model).setModelVersion(version)
        .setWindowClosedAtMs(start + 4050).setPredictedAtMs(start + 4062)
        .build();
  }

  private static KafkaProducer<String, Prediction> producer(String bootstrap) {
    var topic = TOPICS.emotionPredictions();
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** Acknowledged by the broker before it returns, so the feed can read it once this returns. */
  private static void send(KafkaProducer<String, Prediction> producer, Topic<String, Prediction> topic, Prediction p)
      throws ExecutionException, InterruptedException {
    producer.send(new ProducerRecord<>(topic.name(), null, p.getWindowEndMs(), p.getStreamId(), p)).get();
  }

  private static boolean onPath(String command) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
  }
}
