package dev.mmstream.streams.deadletter;

import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.RecordDecodingException;
import dev.mmstream.schema.v1.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead-letter topic as it stands: every committed dead letter up to the end offsets seen when reading
 * starts (what arrives meanwhile waits for the next read). Reads without a consumer group, so it moves no
 * one's offsets.
 */
public final class DeadLetterLog {
  private static final AvroSerde<DeadLetter> SERDE = AvroSerde.of(DeadLetter.class);

  /** One dead letter where it sits in the topic; {@code letter} is null when its bytes do not decode. */
  public record Entry(int partition, long offset, long timestampMs, String key, DeadLetter letter, String problem) {
    /** The stream it belongs to: the dead letter's key (the original record's key). */
    public String stream() {
      return key == null ? "(no key)" : key;
    }
  }

  private DeadLetterLog() {}

  public static List<Entry> read(String bootstrap, String topic, Duration timeout) {
    return read(bootstrap, KafkaClientSettings.NONE, topic, timeout);
  }

  /** Every dead letter of {@code topic}, read with {@code client}'s settings (e.g. SASL over TLS). */
  public static List<Entry> read(String bootstrap, KafkaClientSettings client, String topic, Duration timeout) {
    try (var consumer = new KafkaConsumer<byte[], byte[]>(client.over(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      List<Entry> entries = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic + " took longer than " + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          entries.add(entry(topic, r));
        }
      }
      return entries;
    }
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static Entry entry(String topic, ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    try {
      return new Entry(r.partition(), r.offset(), r.timestamp(), key, SERDE.decode(topic, r.value()), null);
    } catch (RecordDecodingException e) {
      return new Entry(r.partition(), r.offset(), r.timestamp(), key, null, e.getMessage());
    }
  }
}
