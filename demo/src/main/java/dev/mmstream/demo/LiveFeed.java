package dev.mmstream.demo;

import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.RecordDecodingException;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Thumbnail;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads committed emotion and genre predictions, and the streams' thumbnails, and hands each to the
 * listeners (the terminal table, the dashboard). It starts at the end of the topics: it shows live traffic,
 * from the moment it {@link #reading() reads}. Owns its consumer thread; {@link #close()} stops it.
 */
final class LiveFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

  /** A thumbnail with its record's timestamp: its event time (the stream's origin + the frame's pts). */
  interface ThumbnailListener {
    void accept(Thumbnail thumbnail, long eventTimeMs);
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<Consumer<Prediction>> listeners = new CopyOnWriteArrayList<>();
  private final List<ThumbnailListener> thumbnailListeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final String thumbnailTopic;
  private final AvroSerde<Prediction> predictions = AvroSerde.of(Prediction.class);
  private final AvroSerde<Thumbnail> thumbnails = AvroSerde.of(Thumbnail.class);
  private volatile boolean running = true;
  private volatile boolean reading;

  LiveFeed(String bootstrap, Topics topics) {
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "mmstream-demo-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    this.thumbnailTopic = topics.videoThumbnails().name();
    consumer.subscribe(List.of(topics.emotionPredictions().name(), topics.genrePredictions().name(), thumbnailTopic),
        new Rebalance());
    this.thread = new Thread(this::run, "prediction-feed");
    thread.setDaemon(true);
  }

  void subscribe(Consumer<Prediction> listener) {
    listeners.add(listener);
  }

  void subscribeThumbnails(ThumbnailListener listener) {
    thumbnailListeners.add(listener);
  }

  void start() {
    thread.start();
  }

  /**
   * True once the feed has its partitions and their start offsets: every prediction committed from
   * then on reaches the listeners (earlier ones are skipped, as the feed starts at the end).
   */
  boolean reading() {
    return reading;
  }

  private void run() {
    try {
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          try {
            if (record.topic().equals(thumbnailTopic)) {
              Thumbnail t = thumbnails.decode(record.topic(), record.value());
              thumbnailListeners.forEach(l -> l.accept(t, record.timestamp()));
            } else {
              Prediction p = predictions.decode(record.topic(), record.value());
              listeners.forEach(l -> l.accept(p));
            }
          } catch (RecordDecodingException e) {
            log.warn("skipping an undecodable record of {}: {}", record.topic(), e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /** Pins the start offsets on assignment, so that {@link #reading()} means no later record is skipped. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      partitions.forEach(consumer::position); // resolves "latest" now rather than at the first fetch
      reading = !consumer.assignment().isEmpty();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // nothing to hand over: the feed keeps no state per partition
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
