package dev.mmstream.streams.it;

import static org.awaitility.Awaitility.await;

import dev.mmstream.schema.Topic;
import dev.mmstream.schema.v1.Prediction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a prediction topic from the beginning as a {@code read_committed} consumer, as downstream services do. */
final class PredictionReader implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Topic<String, Prediction> topic;
  private final List<Prediction> seen = new ArrayList<>();

  PredictionReader(String bootstrap, Topic<String, Prediction> topic) {
    this.topic = topic;
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    var partitions = consumer.partitionsFor(topic.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls until {@code done} holds for everything read so far (or fails after {@code atMost}); returns it all. */
  List<Prediction> until(Predicate<List<Prediction>> done, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ZERO).until(() -> {
      poll();
      return done.test(seen);
    });
    return List.copyOf(seen);
  }

  /** Keeps polling for {@code period}; returns everything read. */
  List<Prediction> readFor(Duration period) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      poll();
    }
    return List.copyOf(seen);
  }

  private void poll() {
    var deserializer = topic.valueSerde().deserializer();
    consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(deserializer.deserialize(topic.name(), r.value())));
  }

  @Override
  public void close() {
    consumer.close();
  }
}
