package dev.mmstream.streams.load;

import dev.mmstream.schema.Topic;
import dev.mmstream.schema.v1.Prediction;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the predictions as a downstream {@code read_committed} consumer and measures the windows whose
 * closing record was sent inside the measured interval: window-close to prediction (the app's own
 * stamps), window-close to committed-and-visible, and event to prediction (the record that closed the
 * window was sent → the committed prediction was read here).
 */
final class PredictionMeter {
  private final String bootstrap;
  private final Topic<String, Prediction> topic;
  private final SyntheticStreams streams;
  private final long graceMs;
  private final long fromMs;
  private final long toMs;
  private final Samples closeToPrediction = new Samples();
  private final Samples closeToVisible = new Samples();
  private final Samples eventToPrediction = new Samples();

  PredictionMeter(String bootstrap, Topic<String, Prediction> topic, SyntheticStreams streams, long graceMs, long fromMs, long toMs) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.streams = streams;
    this.graceMs = graceMs;
    this.fromMs = fromMs;
    this.toMs = toMs;
  }

  /** Reads until {@code untilMs} (wall clock). */
  void readUntil(long untilMs) {
    var deserializer = topic.valueSerde().deserializer();
    try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor(topic.name()).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (System.currentTimeMillis() < untilMs) {
        for (var record : consumer.poll(Duration.ofMillis(50))) {
          long readAt = System.currentTimeMillis();
          measure(deserializer.deserialize(topic.name(), record.value()), readAt);
        }
      }
    }
  }

  private void measure(Prediction p, long readAt) {
    int stream = Integer.parseInt(p.getStreamId().substring(p.getStreamId().lastIndexOf('-') + 1));
    long closingSent = streams.closingSentMs(stream, p.getWindowEndMs() - streams.originMs(stream), graceMs);
    if (closingSent < fromMs || closingSent >= toMs) {
      return;
    }
    closeToPrediction.add(p.getPredictedAtMs() - p.getWindowClosedAtMs());
    closeToVisible.add(readAt - p.getWindowClosedAtMs());
    eventToPrediction.add(readAt - closingSent);
  }

  int windows() {
    return closeToPrediction.size();
  }

  Samples closeToPrediction() {
    return closeToPrediction;
  }

  Samples closeToVisible() {
    return closeToVisible;
  }

  Samples eventToPrediction() {
    return eventToPrediction;
  }

  /** Latencies in milliseconds. */
  static final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int size() {
      return size;
    }

    long percentile(double q) {
      if (size == 0) {
        return -1;
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted[Math.max(0, (int) Math.ceil(q * size) - 1)];
    }

    String p50p99() {
      return String.format(Locale.ROOT, "%5d / %5d", percentile(0.50), percentile(0.99));
    }
  }
}
