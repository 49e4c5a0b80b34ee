package dev.mmstream.streams.topology;

import static dev.mmstream.streams.topology.TopologyHarness.encode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.config.StreamsAppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FuzzTopologyTest}'s seeded garbage (1,000 records per input topic and kind) on a real broker with two
 * partitions per topic, between three good live streams: the app keeps running, every undecodable record is
 * dead-lettered once, and the good streams' predictions equal those of a run without the garbage.
 */
class FuzzBrokerIT {
  private static final int PER_KIND = 1_000;
  private static final int STEPS = 60;
  private static final List<String> GOOD = List.of("good-1", "good-2", "good-3");

  @TempDir Path dir;

  @Test
  void garbageOnARealBrokerChangesNothingForTheGoodStreams() throws Exception {
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dir.resolve("broker"), 2))) {
      Outcome clean = run(broker.bootstrapServers(), "clean", false, 31);
      Outcome dirty = run(broker.bootstrapServers(), "dirty", true, clean.predictions.size());
      System.out.printf("fuzz on the broker: %d junk records sent, %d dead letters %s; %d good predictions%n",
          dirty.junkSent, dirty.byReason.values().stream().mapToInt(Integer::intValue).sum(), dirty.byReason,
          dirty.predictions.size());
      assertThat(clean.predictions).hasSizeGreaterThan(3 * 10);
      assertThat(dirty.predictions).as("the good streams' predictions, with and without the garbage").isEqualTo(clean.predictions);
      assertThat(dirty.sendFailures).as("records the broker refused").isEmpty();
      for (String topic : List.of("events", "frames", "audio", "tokens")) {
        assertThat(dirty.undecodableDeadLetters.getOrDefault(topic, 0))
            .as("every undecodable record on " + topic + " is dead-lettered, once")
            .isEqualTo(dirty.undecodableSent.getOrDefault(topic, 0));
      }
      assertThat(dirty.byReason).containsKeys(DeadLetterReason.UNDECODABLE, DeadLetterReason.UNKNOWN_SCHEMA,
          DeadLetterReason.BAD_SHAPE, DeadLetterReason.MISSING_KEY);
    }
  }

  private record Outcome(List<String> predictions, int junkSent, Map<String, Integer> undecodableSent,
      Map<String, Integer> undecodableDeadLetters, Map<DeadLetterReason, Integer> byReason, List<String> sendFailures) {}

  /** {@code atLeast}: predictions (of all streams) to wait for before the reading may stop. */
  private Outcome run(String bootstrap, String name, boolean garbage, int atLeast) throws Exception {
    var topics = new Topics(name + ".");
    TopicProvisioner.ensureTopics(bootstrap, topics, 2);
    var samples = new SampleRecords(3);
    var random = new Random(20261207);
    long origin = System.currentTimeMillis();
    Map<String, Integer> undecodableSent = new HashMap<>();
    var failures = new ConcurrentLinkedQueue<String>();
    int junkSent = 0;
    var alignment = AlignmentConfig.defaults().withBatchWait(Duration.ZERO);
    try (var app = StreamsApp.start(new StreamsAppConfig(bootstrap, "fuzz-" + name, topics, dir.resolve("state-" + name), 1,
            alignment, 0), new FakeScorer());
        var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
      awaitRunning(app);
      Map<String, String> topicNames = new LinkedHashMap<>();
      topicNames.put("events", topics.streamEvents().name());
      topicNames.put("frames", topics.videoFrames().name());
      topicNames.put("audio", topics.audioLogMel().name());
      topicNames.put("tokens", topics.textTokens().name());
      Consumer<ProducerRecord<String, byte[]>> send = r -> producer.send(r, (m, e) -> {
        if (e != null) {
          failures.add(r.topic() + ": " + e.getMessage());
        }
      });
      for (String id : GOOD) {
        send.accept(new ProducerRecord<>(topics.streamEvents().name(), null, origin, id, encode(StreamEvent.newBuilder()
            .setStreamId(id).setType(StreamEventType.START).setTask(Task.EMOTION).setOriginMs(origin).setMetadata(Map.of()).build())));
      }
      for (int step = 0; step < STEPS; step++) {
        long t = step * 200L;
        for (String id : GOOD) {
          if (t % 1000 == 0) {
            send.accept(new ProducerRecord<>(topics.audioLogMel().name(), null, origin + t, id, encode(samples.audio(id, (int) (t / 1000)))));
          }
          send.accept(new ProducerRecord<>(topics.videoFrames().name(), null, origin + t, id, encode(samples.frame(id, step))));
          if (t % 2000 == 0) {
            send.accept(new ProducerRecord<>(topics.textTokens().name(), null, origin + t, id, encode(samples.tokens(id, (int) (t / 2000)))));
          }
        }
        if (garbage) {
          for (var topic : topicNames.entrySet()) {
            for (Garbage.Kind kind : Garbage.Kind.values()) {
              int n = PER_KIND / STEPS + (step < PER_KIND % STEPS ? 1 : 0);
              for (int i = 0; i < n; i++) {
                Garbage.Junk junk = Garbage.junk(kind, topic.getKey(), random, samples, step * 100 + i);
                // the broker refuses timestamps more than an hour ahead: absurd times stay inside the records
                send.accept(new ProducerRecord<>(topic.getValue(), null, origin + Math.floorMod(junk.timeMs(), 600_000L),
                    junk.key(), junk.value()));
                junkSent++;
                if (junk.undecodable() && junk.key() != null && !junk.key().isEmpty() && junk.key().indexOf('\0') < 0) {
                  undecodableSent.merge(topic.getKey(), 1, Integer::sum);
                }
              }
            }
          }
        }
      }
      for (String id : GOOD) {
        send.accept(new ProducerRecord<>(topics.streamEvents().name(), null, origin + STEPS * 200L, id, encode(StreamEvent.newBuilder()
            .setStreamId(id).setType(StreamEventType.END).setTask(Task.EMOTION).setOriginMs(origin)
            .setMediaEndMs((long) STEPS * 200).build())));
      }
      producer.flush();

      List<String> predictions = new ArrayList<>();
      for (Prediction p : readUntilQuiet(bootstrap, topics.emotionPredictions(), atLeast)) {
        if (GOOD.contains(p.getStreamId())) {
          predictions.add(p.getStreamId() + " " + (p.getWindowStartMs() - origin) + " " + p.getLabels());
        }
      }
      Collections.sort(predictions);
      Map<String, String> short_ = Map.of(topics.streamEvents().name(), "events", topics.videoFrames().name(), "frames",
          topics.audioLogMel().name(), "audio", topics.textTokens().name(), "tokens");
      Map<String, Integer> undecodableDead = new HashMap<>();
      Map<DeadLetterReason, Integer> byReason = new EnumMap<>(DeadLetterReason.class);
      for (DeadLetter d : readUntilQuiet(bootstrap, topics.deadLetters(), 0)) {
        byReason.merge(d.getReason(), 1, Integer::sum);
        if ((d.getReason() == DeadLetterReason.UNDECODABLE || d.getReason() == DeadLetterReason.UNKNOWN_SCHEMA)
            && d.getSourceTopic() != null) {
          undecodableDead.merge(short_.get(d.getSourceTopic()), 1, Integer::sum);
        }
      }
      assertThat(app.state().isRunningOrRebalancing()).as("the app kept running").isTrue();
      return new Outcome(predictions, junkSent, undecodableSent, undecodableDead, byReason, List.copyOf(failures));
    }
  }

  private static void awaitRunning(StreamsApp app) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (app.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  /**
   * A topic's committed records, read until there are at least {@code atLeast} and nothing new has come for 5 s
   * (at most two minutes).
   */
  private static <V> List<V> readUntilQuiet(String bootstrap, Topic<String, V> topic, int atLeast) {
    List<V> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "fuzz-read-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      long lastNew = System.nanoTime();
      while (System.nanoTime() < deadline
          && (System.nanoTime() - lastNew < Duration.ofSeconds(5).toNanos() || values.size() < atLeast)) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          values.add(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
          lastNew = System.nanoTime();
        }
      }
    }
    return values;
  }
}
