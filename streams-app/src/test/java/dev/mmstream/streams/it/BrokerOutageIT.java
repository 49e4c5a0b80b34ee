package dev.mmstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.align.HoppingWindows;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.ingest.cli.IngestMain;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.config.StreamsAppConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelRegistry;
import dev.mmstream.streams.topology.StreamsApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away during live ingest of several streams and comes back: ingest keeps the records it could
 * not deliver, says it is waiting and that Kafka is back, and every window of every stream still gets exactly one
 * committed prediction, the streams app having resumed by itself. A stream whose ingest allows a shorter outage
 * than the broker's stops with exit code 1 and a message saying why, instead of holding more. The outage lasts
 * {@code -Dmmstream.outage.seconds} (40 s in {@code ./mmstream test}; 120 s for the long mode).
 */
class BrokerOutageIT {
  private static final int OUTAGE_S = Integer.getInteger("mmstream.outage.seconds", 40);
  private static final int DOOMED_OUTAGE_S = 30;
  private static final double CLIP_S = OUTAGE_S + 16;
  private static final long DOWN_AT_MS = 8_000;
  private static final List<String> STREAMS = List.of("outage-1", "outage-2", "outage-3");
  private static final Topics TOPICS = Topics.defaults();

  @TempDir Path dir;

  @Test
  void ingestKeepsWhatKafkaCouldNotTakeAndEveryWindowGetsOnePredictionAfterTheBrokerReturns() throws Exception {
    var config = new BrokerConfig(freePort(), freePort(), dir.resolve("broker"), 2, TOPICS.prefix());
    Path clip = TestMedia.clip(dir, "long.mkv", CLIP_S, 160, 120, 10);
    KraftBroker broker = KraftBroker.start(config);
    TopicProvisioner.ensureTopics(broker.bootstrapServers(), TOPICS, 2);
    String bootstrap = broker.bootstrapServers();
    try (var models = ModelRegistry.open(LiveModel.dir(), new InferenceSettings(Device.CPU, 1, 64), ModelRegistry.DEFAULT_POLL);
        var app = StreamsApp.start(new StreamsAppConfig(bootstrap, "outage-it", TOPICS, dir.resolve("state"), 1,
            AlignmentConfig.defaults(), 0), models)) {
      long origin = StreamRequest.originNow();
      List<CompletableFuture<Ingest>> ingests = new ArrayList<>();
      for (String stream : STREAMS) {
        ingests.add(CompletableFuture.supplyAsync(() -> Ingest.run(bootstrap, clip, stream, origin, 300)));
      }
      var doomed = CompletableFuture.supplyAsync(() -> Ingest.run(bootstrap, clip, "outage-doomed", origin, DOOMED_OUTAGE_S));

      Thread.sleep(DOWN_AT_MS);
      broker.close();
      long downAt = System.nanoTime();
      Thread.sleep(OUTAGE_S * 1000L);
      broker = KraftBroker.start(config);
      System.out.printf("broker away for %.1f s%n", (System.nanoTime() - downAt) / 1e9);

      Ingest failed = doomed.get();
      failed.err.lines().filter(l -> l.contains("Kafka")).forEach(l -> System.out.println("outage-doomed: " + l.strip()));
      assertThat(failed.exitCode).as("ingest allowing a %d s outage", DOOMED_OUTAGE_S).isEqualTo(1);
      assertThat(failed.err).contains("waiting for Kafka at " + bootstrap)
          .contains("Kafka did not take this stream's records for 30 s (--outage-s), so ingest stops");
      for (var future : ingests) {
        Ingest done = future.get();
        done.err.lines().filter(l -> l.contains("Kafka")).forEach(l -> System.out.println(done.stream + ": " + l.strip()));
        assertThat(done.exitCode).as("ingest of %s, err: %s", done.stream, done.err).isZero();
        assertThat(done.err).contains("waiting for Kafka at " + bootstrap).containsPattern(
            "Kafka at " + bootstrap + " answers again after \\d+ s: every kept record was delivered");
        assertThat(mostKept(done.err)).as("records %s kept in memory while the decoding went on", done.stream)
            .isGreaterThan(100);
      }

      List<Long> expected = HoppingWindows.emotion().over((long) (CLIP_S * 1000)).stream().map(WindowBounds::startMs).toList();
      try (var reader = new PredictionReader(bootstrap, TOPICS.emotionPredictions())) {
        reader.until(all -> all.stream().filter(p -> STREAMS.contains(p.getStreamId())).count() >= STREAMS.size() * expected.size(),
            Duration.ofSeconds(120));
        List<Prediction> committed = reader.readFor(Duration.ofSeconds(3));
        Map<String, Map<Long, Long>> perStream = committed.stream().collect(Collectors.groupingBy(Prediction::getStreamId,
            Collectors.groupingBy(p -> p.getWindowStartMs() - origin, Collectors.counting())));
        for (String stream : STREAMS) {
          assertThat(perStream.get(stream).keySet()).as("windows of %s with a prediction", stream)
              .containsExactlyInAnyOrderElementsOf(expected);
          assertThat(perStream.get(stream)).as("predictions per window of %s", stream)
              .allSatisfy((start, count) -> assertThat(count).isOne());
        }
        assertThat(perStream.getOrDefault("outage-doomed", Map.of()))
            .as("the stopped stream's delivered windows, each once").allSatisfy((start, count) -> assertThat(count).isOne());
      }
      assertThat(app.state().isRunningOrRebalancing()).as("the streams app resumed by itself").isTrue();
    } finally {
      broker.close();
    }
  }

  /** The most records an ingest said it kept while waiting. */
  private static int mostKept(String err) {
    var matcher = java.util.regex.Pattern.compile("waiting for Kafka at \\S+: ([\\d,]+) records").matcher(err);
    int most = 0;
    while (matcher.find()) {
      most = Math.max(most, Integer.parseInt(matcher.group(1).replace(",", "")));
    }
    return most;
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code ./mmstream ingest --realtime} of one stream in this JVM, with what it printed on stderr. */
  private record Ingest(String stream, int exitCode, String err) {
    static Ingest run(String bootstrap, Path clip, String stream, long originMs, int outageSeconds) {
      var err = new ByteArrayOutputStream();
      var main = new IngestMain(new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = IngestMain.commandLine(main).execute("--source", clip.toString(), "--stream-id", stream, "--task", "emotion",
          "--bootstrap", bootstrap, "--realtime", "--origin-ms", Long.toString(originMs),
          "--outage-s", Integer.toString(outageSeconds), "--models-dir", TestMedia.modelsDir().toString());
      return new Ingest(stream, code, err.toString(StandardCharsets.UTF_8));
    }
  }
}
