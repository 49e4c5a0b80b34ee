package dev.mmstream.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mmstream ingest} into a real KRaft broker: a 10 s clip with speech and captions gives the
 * expected records on every topic, in event-time order, between START and END; ingested again with
 * {@code --realtime} (into topics under another prefix) it gives byte-identical records and timestamps.
 */
class IngestKafkaIT {
  private static final double SECONDS = 10.0;
  // Near now, the same for both runs: the broker deletes records older than its retention (7 days).
  private static final long ORIGIN_MS = StreamRequest.originNow();
  private static final String STREAM = "it-clip";

  @TempDir static Path dir;
  private static KraftBroker broker;
  private static Path clip;
  private static Path srt;

  @BeforeAll
  static void startBrokerAndMakeClip() {
    broker = KraftBroker.start(BrokerConfig.ephemeral(dir.resolve("broker"), 3));
    for (String prefix : List.of("fast.", "live.")) {
      TopicProvisioner.ensureTopics(broker.bootstrapServers(), new Topics(prefix), 3);
    }
    clip = TestMedia.clip(dir, "clip.mkv", SECONDS, 320, 240, 25);
    srt = TestMedia.srt(dir, SECONDS);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void tenSecondClipLandsOnEveryTopicInOrderAndRealtimePacingChangesNothing() throws Exception {
    int cues = TestMedia.cueCount(SECONDS);
    assertThat(ingest("fast.")).isZero();
    Map<String, List<ConsumerRecord<String, byte[]>>> fast = readStream(new Topics("fast."), cues);

    var topics = new Topics("fast.");
    List<StreamEvent> events = decode(topics.streamEvents(), fast);
    assertThat(events).extracting(StreamEvent::getType).containsExactly(StreamEventType.START, StreamEventType.END);
    assertThat(events.get(1).getReason()).isNull();
    assertThat(events.get(1).getMediaEndMs()).isCloseTo(10_000L, within(10L));
    assertThat(fast.get(topics.videoFrames().name())).hasSizeBetween(49, 51); // 10 s at 5 fps, +-1
    assertThat(fast.get(topics.audioLogMel().name())).hasSize(10); // one record per second
    assertThat(fast.get(topics.textTokens().name())).hasSize(cues);

    long start = fast.get(topics.streamEvents().name()).get(0).timestamp();
    long end = fast.get(topics.streamEvents().name()).get(1).timestamp();
    assertThat(start).isEqualTo(ORIGIN_MS);
    assertThat(end).isEqualTo(ORIGIN_MS + events.get(1).getMediaEndMs());
    fast.forEach((topic, records) -> {
      assertThat(records).as("keys on %s", topic).allSatisfy(r -> assertThat(r.key()).isEqualTo(STREAM));
      assertThat(records.stream().map(ConsumerRecord::timestamp).toList()).as("event times on %s", topic)
          .isSorted().allSatisfy(t -> assertThat(t).isBetween(start, end));
    });

    assertThat(ingest("live.", "--realtime")).isZero();
    Map<String, List<ConsumerRecord<String, byte[]>>> live = readStream(new Topics("live."), cues);
    for (String suffix : List.of("stream.events", "video.frames", "audio.logmel", "text.tokens")) {
      assertThat(fingerprints(live.get("live." + suffix))).as(suffix).isEqualTo(fingerprints(fast.get("fast." + suffix)));
    }
  }

  private static int ingest(String prefix, String... extra) {
    var out = new ByteArrayOutputStream();
    var main = new IngestMain(SinkFactory.KAFKA, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    List<String> args = new ArrayList<>(List.of("--source", clip.toString(), "--stream-id", STREAM,
        "--captions", srt.toString(), "--bootstrap", broker.bootstrapServers(), "--topic-prefix", prefix,
        "--origin-ms", Long.toString(ORIGIN_MS), "--models-dir", TestMedia.modelsDir().toString()));
    args.addAll(Arrays.asList(extra));
    int code = IngestMain.commandLine(main).execute(args.toArray(String[]::new));
    assertThat(code).as("exit code; output: %s", out.toString(StandardCharsets.UTF_8)).isZero();
    return code;
  }

  /** Every record of the stream on the four feature/event topics, per topic, once END and all cues are in. */
  private static Map<String, List<ConsumerRecord<String, byte[]>>> readStream(Topics topics, int cues) {
    List<Topic<String, ?>> wanted = List.of(topics.streamEvents(), topics.videoFrames(), topics.audioLogMel(), topics.textTokens());
    Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = new HashMap<>();
    wanted.forEach(t -> byTopic.put(t.name(), new ArrayList<>()));
    try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions = new ArrayList<TopicPartition>();
      wanted.forEach(t -> consumer.partitionsFor(t.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition()))));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).untilAsserted(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> byTopic.get(r.topic()).add(r));
        Map<String, Integer> counts = new HashMap<>();
        byTopic.forEach((topic, records) -> counts.put(topic, records.size()));
        assertThat(byTopic.get(topics.streamEvents().name())).as("records so far: %s", counts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(byTopic.get(topics.textTokens().name())).as("records so far: %s", counts).hasSizeGreaterThanOrEqualTo(cues);
      });
    }
    return byTopic;
  }

  private static <V> List<V> decode(Topic<String, V> topic, Map<String, List<ConsumerRecord<String, byte[]>>> records) {
    return records.get(topic.name()).stream().map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value())).toList();
  }

  /** Time relative to the origin and a digest of the exact value bytes of each record, in order. */
  private static List<String> fingerprints(List<ConsumerRecord<String, byte[]>> records) throws NoSuchAlgorithmException {
    var sha = MessageDigest.getInstance("SHA-256");
    return records.stream().map(r -> (r.timestamp() - ORIGIN_MS) + ":" + HexFormat.of().formatHex(sha.digest(r.value()))).toList();
  }
}
