package dev.mmstream.ingest.publish;

import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.schema.v1.TokenFeatures;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a stream's records to the project's topics: key = stream id, record timestamp = the
 * stream's wall-clock origin + the record's media time. Idempotent producer, acks=all, no compression.
 * Owns the producer; {@link #close()} flushes and closes it and reports a failed send.
 *
 * <p>Through a broker outage the producer keeps the records it could not deliver, in order and without
 * duplicates (idempotence), for up to {@link Outage#keptFor()} and within {@link Outage#bufferBytes()} of memory
 * (a full buffer makes publishing wait, and so the decoding); a {@link DeliveryWatch} says that it is waiting.
 * Past the bound the next publish fails with a {@link PublishException} that says so.
 */
public final class KafkaFeatureSink implements FeatureSink, AutoCloseable {
  private final Topics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final long originMs;
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final Outage outage;
  private final DeliveryWatch watch;
  private final ScheduledExecutorService checker;

  /**
   * How long and how much a sink keeps while Kafka does not answer.
   *
   * @param keptFor longest a record waits for its acknowledgement (and publishing for buffer space)
   * @param bufferBytes memory for records not yet acknowledged
   */
  public record Outage(Duration keptFor, long bufferBytes) {
    public static final Outage DEFAULT = new Outage(Duration.ofMinutes(5), 64L << 20);

    public Outage {
      if (keptFor.toSeconds() < 30 || bufferBytes < (1 << 20)) {
        throw new IllegalArgumentException("--outage-s must be at least 30 (a request to Kafka may take 20 s) and --buffer-mb at least 1");
      }
    }
  }

  public KafkaFeatureSink(String bootstrapServers, Topics topics, long originMs, Map<String, Object> overrides) {
    this(bootstrapServers, topics, originMs, overrides, Outage.DEFAULT, message -> { });
  }

  /** A sink that reports outages (waiting, resumed) to {@code report}. */
  public KafkaFeatureSink(String bootstrapServers, Topics topics, long originMs, Map<String, Object> overrides,
      Outage outage, Consumer<String> report) {
    this.topics = topics;
    this.originMs = originMs;
    this.outage = outage;
    var config = new HashMap<String, Object>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Float features hardly compress (lz4 saves 1.9% of EmoDB's audio feature bytes), yet every batch would be
    // compressed here and decompressed again by the broker and by each consumer.
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, outage.keptFor().toMillis());
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) outage.keptFor().toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(20).toMillis());
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, outage.bufferBytes());
    // Kafka 4's default "rebootstrap" forgets the cluster's metadata when no broker answers, and every send then
    // blocks for it: the records would wait in the decoder instead of the buffer, and a live source would stall.
    config.put(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
    config.putAll(overrides);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.watch = new DeliveryWatch(bootstrapServers, outage.keptFor(), outage.bufferBytes(), report,
        System::currentTimeMillis);
    this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ingest-delivery-watch");
      t.setDaemon(true);
      return t;
    });
    checker.scheduleAtFixedRate(watch::check, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void event(StreamEvent event) {
    long mediaMs = event.getMediaEndMs() == null ? 0 : event.getMediaEndMs();
    send(topics.streamEvents(), event.getStreamId(), event, mediaMs);
  }

  @Override
  public void frame(FrameFeatures frame) {
    send(topics.videoFrames(), frame.getStreamId(), frame, frame.getPtsMs());
  }

  @Override
  public void thumbnail(Thumbnail thumbnail) {
    send(topics.videoThumbnails(), thumbnail.getStreamId(), thumbnail, thumbnail.getPtsMs());
  }

  @Override
  public void audio(AudioFeatures audio) {
    send(topics.audioLogMel(), audio.getStreamId(), audio, audio.getStartMs());
  }

  @Override
  public void tokens(TokenFeatures tokens) {
    send(topics.textTokens(), tokens.getStreamId(), tokens, tokens.getCueStartMs());
  }

  private <V> void send(Topic<String, V> topic, String key, V value, long mediaMs) {
    throwIfFailed();
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    long id = watch.sent(bytes.length);
    try {
      producer.send(
          new ProducerRecord<>(topic.name(), null, originMs + mediaMs, key, bytes),
          (metadata, error) -> {
            watch.done(id, bytes.length, error == null);
            if (error != null) {
              sendFailure.compareAndSet(null, error);
            }
          });
    } catch (org.apache.kafka.common.errors.TimeoutException e) {  // no buffer space for --outage-s
      watch.done(id, bytes.length, false);
      sendFailure.compareAndSet(null, e);
      throwIfFailed();
    }
  }

  private void throwIfFailed() {
    Exception failure = sendFailure.get();
    if (failure instanceof org.apache.kafka.common.errors.TimeoutException) {
      throw new PublishException("Kafka did not take this stream's records for " + outage.keptFor().toSeconds()
          + " s (--outage-s), so ingest stops instead of holding more: " + failure.getMessage().replaceAll("[.\\s]+$", "")
          + ". What Kafka acknowledged stays; publish the rest again (re-run ingest; a live source resumes from now)"
          + " or allow a longer outage with --outage-s and --buffer-mb", failure);
    }
    if (failure != null) {
      throw new PublishException("publishing to Kafka failed: " + failure.getMessage(), failure);
    }
  }

  /** Waits until everything sent so far is acknowledged. */
  public void flush() {
    producer.flush();
    throwIfFailed();
  }

  @Override
  public void close() {
    try {
      producer.flush();
    } finally {
      producer.close(Duration.ofSeconds(30));
      checker.shutdownNow();
      watch.check();  // says "answers again" when the last records went out during the flush
    }
    throwIfFailed();
  }
}
