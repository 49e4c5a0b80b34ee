package dev.mmstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.LabelScore;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Task;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in a real browser. Predictions produced to a real broker travel the demo's own
 * path ({@link LiveDashboard}: feed, server, server-sent events) into headless Debian Chromium, driven
 * by {@code tests/browser/dashboard.mjs} with playwright-core: the stream's row appears, its timeline
 * grows as more predictions arrive, and it shows the top labels, model, modalities and gates; a
 * trailer's genre prediction shows as tags. The screenshot goes to {@code demo/target/}. Needs node,
 * {@code tests/browser/node_modules} and {@code /usr/bin/chromium}, which {@code ./mmstream test} installs.
 */
class DashboardBrowserIT {
  private static final Topics TOPICS = Topics.defaults();
  private static final Path ROOT = Path.of(System.getProperty("mmstream.root", "..")).toAbsolutePath().normalize();
  private static final Path BUILD = Path.of(System.getProperty("mmstream.build", "target")).toAbsolutePath();
  private static final Path SCRIPT = ROOT.resolve("tests/browser/dashboard.mjs");
  private static final Path PLAYWRIGHT = ROOT.resolve("tests/browser/node_modules/playwright-core");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOT = BUILD.resolve("dashboard-browser.png");
  /** A loaded 2-core machine: each step in the browser may take tens of seconds. */
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final int FIRST = 3;
  private static final int MORE = 3;
  private static final long ORIGIN_MS = System.currentTimeMillis();

  @TempDir Path dir;

  @Test
  void theBrowserShowsLivePredictionsFromTheBrokerAndTheTimelineGrowsWithNewOnes() throws Exception {
    requireBrowserTools();
    Files.deleteIfExists(SCREENSHOT);
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dir.resolve("broker"), 1));
        var producer = producer(broker.bootstrapServers())) {
      TopicProvisioner.ensureTopics(broker.bootstrapServers(), TOPICS, 1);
      try (var dashboard = new LiveDashboard(broker.bootstrapServers(), TOPICS, 0)) {
        dashboard.start();
        await("the feed reads the prediction topics").atMost(STEP).until(dashboard::reading);
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

          assertThat(browser.awaitExit(STEP.multipliedBy(3))).as("exit code of the browser script; output:\n%s", browser.output()).isZero();
          assertThat(browser.lines()).contains(
              "grew cam-1: " + (FIRST + MORE) + " timeline points",
              "checked cam-1: labels happy, surprise, sad; model emotion-hybrid v7; gates audio 0.30, text 0.20, video 0.50",
              "checked trailer-1: genre tags action, thriller",
              "ok");
        }
      }
    }
    assertThat(SCREENSHOT).isNotEmptyFile();
    var image = ImageIO.read(SCREENSHOT.toFile());
    assertThat(image).as("%s is a PNG", SCREENSHOT).isNotNull();
    assertThat(image.getWidth()).as("screenshot width").isEqualTo(1280);
  }

  /** Missing tools fail the test, never skip it: a browser test that silently skips proves nothing. */
  private static void requireBrowserTools() {
    String fix = " (./mmstream test installs it)";
    assertThat(onPath("node")).as("node is not on PATH" + fix).isTrue();
    assertThat(PLAYWRIGHT).as("playwright-core is not installed in tests/browser" + fix).isDirectory();
    assertThat(CHROMIUM).as("Debian's chromium is not installed" + fix).isExecutable();
  }

  private static List<String> scriptArgs(int port) {
    return List.of("--url", "http://127.0.0.1:" + port + "/", "--stream", "cam-1",
        "--first", Integer.toString(FIRST), "--then", Integer.toString(FIRST + MORE),
        "--labels", "happy,surprise,sad", "--on", "happy", "--model", "emotion-hybrid v7",
        "--modalities", "text,audio,video", "--gates", "text=0.20,audio=0.30,video=0.50",
        "--genre-stream", "trailer-1", "--genre-tags", "action,thriller",
        "--screenshot", SCREENSHOT.toString(), "--chromium", CHROMIUM.toString(), "--timeout-ms", Long.toString(STEP.toMillis()));
  }

  /** Window i of the demo's first pass over cam-1: happy rises, surprise falls, as a live stream would. */
  private static Prediction camWindow(int i) {
    var labels = List.of(label("anger", 0.03f), label("disgust", 0.02f), label("fear", 0.04f),
        label("happy", 0.45f + 0.08f * i), label("sad", 0.15f), label("surprise", 0.40f - 0.04f * i));
    return prediction("cam-1/1", Task.EMOTION, i, labels, "emotion-hybrid", "7");
  }

  private static Prediction trailer() {
    var labels = List.of(label("action", 0.81f), label("comedy", 0.12f), label("drama", 0.30f),
        label("horror", 0.22f), label("thriller", 0.64f));
    return prediction("trailer-1/1", Task.GENRE, 0, labels, "genre-hybrid", "2");
  }

  private static LabelScore label(String name, float score) {
    return new LabelScore(name, score, 0.5f, score >= 0.5f);
  }

  private static Prediction prediction(String stream, Task task, int i, List<LabelScore> labels, String model, String version) {
    long start = ORIGIN_MS + i * 1000L;
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
