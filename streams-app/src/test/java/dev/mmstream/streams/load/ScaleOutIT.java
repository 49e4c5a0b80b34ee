package dev.mmstream.streams.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.broker.KraftCluster;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on a real cluster: 3 KRaft brokers (replication factor 3, min ISR 2) and 3 {@code serve} instances as
 * separate JVMs sharing one application id, under live load. The input partitions spread over the instances; a
 * broker is stopped for good mid-run; an instance is killed (its partitions move to the others) and a fourth is
 * added (it takes work); every window still gets exactly one committed prediction. Each hand-over is timed.
 */
class ScaleOutIT {
  private static final int STREAMS = 24;
  private static final int SECONDS = 80;
  private static final int PARTITIONS = 6;
  private static final String APP_ID = "scale-it";
  private static final Topics TOPICS = Topics.defaults();

  @TempDir Path dir;

  @Test
  void partitionsSpreadAndMoveAcrossInstancesAndABrokerLossLosesNothing() throws Exception {
    Path models = Path.of(ScaleOutIT.class.getResource("/models/live").toURI());
    ModelContract contract;
    try (var registry = ModelRegistry.open(models, new InferenceSettings(Device.CPU, 1, 1), ModelRegistry.DEFAULT_POLL)) {
      contract = registry.contract(Task.EMOTION).orElseThrow();
    }
    var records = new FeatureRecords(contract.specFor("video"), contract.specFor("audio"), contract.specFor("text"), 7);
    List<String> story = new ArrayList<>();
    List<ServeProcess> instances = new ArrayList<>();
    try (var cluster = KraftCluster.start(dir.resolve("cluster"), 3, PARTITIONS);
        var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      String bootstrap = cluster.bootstrapServers();
      TopicProvisioner.ensureTopics(bootstrap, TOPICS, PARTITIONS, (short) 3);
      try {
        for (int i = 1; i <= 3; i++) {
          instances.add(started(bootstrap, models, i));
        }
        long spreadS = awaitGroup(admin, members -> members.size() == 3 && members.stream().allMatch(ScaleOutIT::hasInput));
        story.add("3 instances: input partitions per instance " + inputCounts(admin) + " (" + spreadS + " s after the last start)");

        long start = System.currentTimeMillis() + 1000;
        var load = new SyntheticStreams(bootstrap, TOPICS, records, STREAMS, Duration.ofSeconds(SECONDS), start);
        Thread publisher = new Thread(load, "scale-publisher");
        publisher.start();

        Thread.sleep(15_000);
        cluster.stopNode(2);
        story.add(String.format(Locale.ROOT, "broker 3 of 3 stopped for good at %.0f s", since(start)));

        Thread.sleep(10_000);
        instances.get(2).kill();
        double killedAt = since(start);
        long movedS = awaitGroup(admin, members -> members.size() == 2 && assignedInputs(members) == PARTITIONS);
        story.add(String.format(Locale.ROOT, "instance 3 killed at %.0f s: its partitions were on the other two %d s later,"
            + " per instance %s", killedAt, movedS, inputCounts(admin)));

        Thread.sleep(5_000);
        long added = System.nanoTime();
        instances.add(started(bootstrap, models, 4));
        long tookS = awaitGroup(admin, members -> members.size() == 3 && members.stream().allMatch(ScaleOutIT::hasInput));
        story.add(String.format(Locale.ROOT, "instance 4 started at %.0f s: it had input partitions %.0f s later, per instance %s",
            since(start) - (System.nanoTime() - added) / 1e9, (System.nanoTime() - added) / 1e9, inputCounts(admin)));
        assertThat(tookS).isGreaterThanOrEqualTo(0);

        publisher.join(Duration.ofSeconds(SECONDS + 30).toMillis());
        assertThat(load.failure()).as("publishing").isNull();
        Map<String, Integer> counts = committed(bootstrap, load, expected(load));
        Set<String> missing = new HashSet<>(expected(load));
        missing.removeAll(counts.keySet());
        List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        story.add(String.format(Locale.ROOT, "%d windows expected, %d predicted, %d missing, %d duplicated",
            expected(load).size(), counts.size(), missing.size(), duplicated.size()));
        story.forEach(line -> System.out.println("scale-out: " + line));
        assertThat(missing).as("windows without a committed prediction").isEmpty();
        assertThat(duplicated).as("windows with more than one committed prediction").isEmpty();
      } finally {
        for (ServeProcess p : instances) {
          p.kill();
        }
      }
    }
  }

  private ServeProcess started(String bootstrap, Path models, int i) throws Exception {
    var p = new ServeProcess(bootstrap, models, dir.resolve("state-" + i), dir.resolve("logs-" + i), APP_ID, 0);
    p.start();
    p.awaitRunning(Duration.ofSeconds(120));
    return p;
  }

  private static double since(long startMs) {
    return (System.currentTimeMillis() - startMs) / 1000.0;
  }

  private static boolean hasInput(MemberDescription m) {
    return m.assignment().topicPartitions().stream().anyMatch(tp -> tp.topic().equals(TOPICS.videoFrames().name()));
  }

  private static long assignedInputs(List<MemberDescription> members) {
    return members.stream().flatMap(m -> m.assignment().topicPartitions().stream())
        .filter(tp -> tp.topic().equals(TOPICS.videoFrames().name())).count();
  }

  private static List<MemberDescription> members(Admin admin) throws Exception {
    return List.copyOf(admin.describeConsumerGroups(List.of(APP_ID)).all().get().get(APP_ID).members());
  }

  private static List<Long> inputCounts(Admin admin) throws Exception {
    return members(admin).stream().map(m -> m.assignment().topicPartitions().stream()
        .filter(tp -> tp.topic().equals(TOPICS.videoFrames().name())).count()).sorted().toList();
  }

  /** Seconds until the group's members satisfy {@code done} (fails after two minutes). */
  private static long awaitGroup(Admin admin, Predicate<List<MemberDescription>> done) throws Exception {
    long started = System.nanoTime();
    long deadline = started + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (done.test(members(admin))) {
        return Math.round((System.nanoTime() - started) / 1e9);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the group did not settle within 2 minutes: " + members(admin));
  }

  private static Set<String> expected(SyntheticStreams load) {
    var alignment = AlignmentConfig.defaults();
    Set<String> expected = new HashSet<>();
    for (int s = 0; s < STREAMS; s++) {
      for (long startMs = 0; load.closingSentMs(s, startMs + alignment.windowSize().toMillis(),
          alignment.grace().toMillis()) >= 0; startMs += alignment.advance().toMillis()) {
        expected.add(SyntheticStreams.streamId(s) + "@" + startMs);
      }
    }
    return expected;
  }

  private static Map<String, Integer> committed(String bootstrap, SyntheticStreams load, Set<String> expected) {
    var serde = AvroSerde.of(Prediction.class);
    Map<String, Integer> counts = new HashMap<>();
    try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "scale-check-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPICS.emotionPredictions().name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      long settle = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settle)) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          Prediction p = serde.decode(TOPICS.emotionPredictions().name(), record.value());
          int s = Integer.parseInt(p.getStreamId().substring("load-".length()));
          counts.merge(p.getStreamId() + "@" + (p.getWindowStartMs() - load.originMs(s)), 1, Integer::sum);
        }
        if (settle == Long.MAX_VALUE && counts.keySet().containsAll(expected)) {
          settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();  // a duplicate would come right after
        }
      }
    }
    return counts;
  }
}
