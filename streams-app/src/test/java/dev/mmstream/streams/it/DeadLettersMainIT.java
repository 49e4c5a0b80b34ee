package dev.mmstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.cli.Cli;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.streams.cli.DeadLettersMain;
import dev.mmstream.streams.deadletter.DeadLetters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./mmstream deadletters} on a real broker: a summary a person can act on, the detail, and replay. */
class DeadLettersMainIT {
  private static final Topics TOPICS = Topics.defaults();

  @TempDir Path dataDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void summarisesShowsAndReplaysTheSelectedRecordsToTheirSourceTopics() {
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dataDir, 2))) {
      String bootstrap = broker.bootstrapServers();
      TopicProvisioner.ensureTopics(bootstrap, TOPICS, 2);
      var letters = new DeadLetters("it");
      List<byte[]> frames = new ArrayList<>();
      try (var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
          new StringSerializer(), new ByteArraySerializer())) {
        var serde = AvroSerde.of(DeadLetter.class);
        for (int i = 0; i < 3; i++) {
          byte[] value = ("frame written by a newer ingest " + i).getBytes(StandardCharsets.UTF_8);
          frames.add(value);
          producer.send(new ProducerRecord<>(TOPICS.deadLetters().name(), "s1", serde.encode(letters.forRecord(
              DeadLetterReason.UNKNOWN_SCHEMA, "fingerprint 0123 is not a known version of FrameFeatures",
              TOPICS.videoFrames().name(), 0, 10 + i, "s1".getBytes(StandardCharsets.UTF_8), value))));
        }
        for (int i = 0; i < 2; i++) {
          producer.send(new ProducerRecord<>(TOPICS.deadLetters().name(), "s2", serde.encode(letters.forRecord(
              DeadLetterReason.MISSING_START, "audio for stream s2 arrived before its START", TOPICS.audioLogMel().name(),
              1, 5 + i, "s2".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}))));
        }
        producer.send(new ProducerRecord<>(TOPICS.deadLetters().name(), "s1", serde.encode(letters.forWindow(
            DeadLetterReason.BAD_SHAPE, "video matrix is 3x10 but the model expects 295 columns", 0, 4000,
            "s1".getBytes(StandardCharsets.UTF_8), new byte[] {9}))));
      }

      assertThat(run("summary", "--bootstrap", bootstrap)).isZero();
      assertThat(out.toString()).contains("6 dead letters on mm.deadletter")
          .containsPattern("3  UNKNOWN_SCHEMA +fingerprint 0123 is not a known version of FrameFeatures")
          .containsPattern("2  MISSING_START").containsPattern("1  \\(an aligned window\\)")
          .containsPattern("4  s1").containsPattern("2  s2");

      assertThat(run("show", "--bootstrap", bootstrap, "--stream", "s2")).isZero();
      assertThat(out.toString().lines().filter(l -> l.contains("MISSING_START"))).hasSize(2)
          .allMatch(l -> l.contains("from mm.audio.logmel partition 1 offset "));

      assertThat(run("replay", "--bootstrap", bootstrap)).as("replay needs a selection").isEqualTo(2);
      assertThat(run("replay", "--bootstrap", bootstrap, "--reason", "UNKNOWN_SCHEMA", "--dry-run")).isZero();
      assertThat(out.toString()).contains("would replay 3 records: {mm.video.frames=3}");
      assertThat(readAll(bootstrap, TOPICS.videoFrames().name())).isEmpty();

      assertThat(run("replay", "--bootstrap", bootstrap, "--reason", "UNKNOWN_SCHEMA,BAD_SHAPE")).as(err.toString()).isZero();
      assertThat(out.toString()).contains("replayed 3 records: {mm.video.frames=3}")
          .contains("1 selected dead letters are aligned windows or undecodable");
      List<String> replayed = readAll(bootstrap, TOPICS.videoFrames().name());
      assertThat(replayed).containsExactlyInAnyOrderElementsOf(
          frames.stream().map(f -> "s1=" + new String(f, StandardCharsets.UTF_8)).toList());
    }
  }

  @Test
  void anUnreachableClusterIsOneLine() {
    assertThat(run("summary", "--bootstrap", "127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString()).startsWith("mmstream deadletters: cannot reach Kafka at 127.0.0.1:1").hasLineCount(1);
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Cli.commandLine(new DeadLettersMain()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
  }

  private static List<String> readAll(String bootstrap, String topic) {
    try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.key() + "=" + new String(r.value(), StandardCharsets.UTF_8)));
      }
      return values;
    }
  }
}
