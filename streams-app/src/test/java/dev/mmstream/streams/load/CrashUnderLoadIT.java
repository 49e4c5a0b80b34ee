package dev.mmstream.streams.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelContract;
import dev.mmstream.streams.inference.ModelRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes under load: live streams paced in real time while {@code ./mmstream serve} runs as its own process and is
 * killed with SIGKILL at random moments (seeded), restarted each time, once with its state directory deleted (it
 * then restores from the changelogs). Every window whose closing record was published must end with exactly one
 * committed prediction (read_committed), and no window with two. The short mode runs in {@code ./mmstream test};
 * {@code -Dmmstream.crash.streams/kills/seconds/seed} make it longer (README, Reliability).
 */
class CrashUnderLoadIT {
  private static final int STREAMS = Integer.getInteger("mmstream.crash.streams", 50);
  private static final int KILLS = Integer.getInteger("mmstream.crash.kills", 5);
  private static final int SECONDS = Integer.getInteger("mmstream.crash.seconds", 70);
  private static final long SEED = Long.getLong("mmstream.crash.seed", 2026);
  private static final int STATE_WIPED_AT_KILL = 3;
  private static final Topics TOPICS = Topics.defaults();

  @TempDir Path dir;

  @Test
  void everyWindowHasExactlyOneCommittedPredictionThroughKillsAndAWipedStateDirectory() throws Exception {
    Path models = modelsDir();
    ModelContract contract;
    try (var registry = ModelRegistry.open(models, new InferenceSettings(Device.CPU, 1, 1), ModelRegistry.DEFAULT_POLL)) {
      contract = registry.contract(Task.EMOTION).orElseThrow();
    }
    var records = new FeatureRecords(contract.specFor("video"), contract.specFor("audio"), contract.specFor("text"), SEED);
    var random = new Random(SEED);
    List<String> kills = new ArrayList<>();
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dir.resolve("broker"), 4))) {
      TopicProvisioner.ensureTopics(broker.bootstrapServers(), TOPICS, 4);
      var serve = new ServeProcess(broker.bootstrapServers(), models, dir.resolve("state"), dir.resolve("logs"), "crash-it", 0);
      serve.start();
      serve.awaitRunning(Duration.ofSeconds(90));
      long start = System.currentTimeMillis() + 1000;
      var streams = new SyntheticStreams(broker.bootstrapServers(), TOPICS, records, STREAMS, Duration.ofSeconds(SECONDS), start);
      Thread publisher = new Thread(streams, "crash-publisher");
      publisher.start();
      long publishEnd = start + SECONDS * 1000L;
      for (int k = 1; k <= KILLS; k++) {
        long left = publishEnd - System.currentTimeMillis();
        long wait = Math.max(1000, Math.min(left / (KILLS - k + 1), 2000 + random.nextInt(6000)));
        Thread.sleep(wait);
        double at = (System.currentTimeMillis() - start) / 1000.0;
        serve.kill();
        boolean wipe = k == STATE_WIPED_AT_KILL;
        if (wipe) {
          deleteTree(dir.resolve("state"));
        }
        long restarted = System.nanoTime();
        serve.start();
        serve.awaitRunning(Duration.ofSeconds(90));
        kills.add(String.format(Locale.ROOT, "kill %d at %.1f s%s, RUNNING again %.1f s after the restart", k, at,
            wipe ? " (state directory deleted)" : "", (System.nanoTime() - restarted) / 1e9));
      }
      publisher.join(Duration.ofSeconds(SECONDS + 30).toMillis());
      assertThat(streams.failure()).as("publishing").isNull();

      Set<String> expected = expectedWindows(streams, AlignmentConfig.defaults());
      Map<String, Integer> counts = new HashMap<>();
      try (var consumer = committedReader(broker.bootstrapServers())) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!counts.keySet().containsAll(expected) && System.nanoTime() < deadline) {
          read(consumer, streams, counts);
        }
        long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();  // a duplicate would come right after
        while (System.nanoTime() < settle) {
          read(consumer, streams, counts);
        }
      } finally {
        serve.kill();
      }
      kills.forEach(System.out::println);
      Set<String> missing = new HashSet<>(expected);
      missing.removeAll(counts.keySet());
      List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1)
          .map(e -> e.getKey() + " x" + e.getValue()).sorted().toList();
      System.out.printf(Locale.ROOT, "crash under load: %d streams, %d s, %d kills; %d windows expected, %d predicted, "
          + "%d missing, %d duplicated%n", STREAMS, SECONDS, KILLS, expected.size(), counts.size(), missing.size(),
          duplicated.size());
      assertThat(kills).hasSize(KILLS);
      assertThat(expected).as("windows whose closing record was published").hasSizeGreaterThan(STREAMS * (SECONDS - 10));
      assertThat(missing).as("windows without a committed prediction").isEmpty();
      assertThat(duplicated).as("windows with more than one committed prediction").isEmpty();
    }
  }

  /** stream@start for every window whose closing records (audio and video past its end + grace) were published. */
  private static Set<String> expectedWindows(SyntheticStreams streams, AlignmentConfig alignment) {
    Set<String> expected = new HashSet<>();
    long size = alignment.windowSize().toMillis();
    long advance = alignment.advance().toMillis();
    for (int s = 0; s < STREAMS; s++) {
      for (long startMs = 0; streams.closingSentMs(s, startMs + size, alignment.grace().toMillis()) >= 0; startMs += advance) {
        expected.add(SyntheticStreams.streamId(s) + "@" + startMs);
      }
    }
    return expected;
  }

  private static void read(KafkaConsumer<String, byte[]> consumer, SyntheticStreams streams, Map<String, Integer> counts) {
    var serde = AvroSerde.of(Prediction.class);
    for (var record : consumer.poll(Duration.ofMillis(200))) {
      Prediction p = serde.decode(TOPICS.emotionPredictions().name(), record.value());
      int s = Integer.parseInt(p.getStreamId().substring("load-".length()));
      counts.merge(p.getStreamId() + "@" + (p.getWindowStartMs() - streams.originMs(s)), 1, Integer::sum);
    }
  }

  private static KafkaConsumer<String, byte[]> committedReader(String bootstrap) {
    var consumer = new KafkaConsumer<String, byte[]>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "crash-check-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(TOPICS.emotionPredictions().name()));
    return consumer;
  }

  private static Path modelsDir() throws URISyntaxException {
    return Path.of(CrashUnderLoadIT.class.getResource("/models/live").toURI());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
