package dev.mmstream.streams.config;

import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.Topics;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of one streams-app instance, built once in the CLI.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id: instances with the same id share the work
 * @param topics the project's topics (prefix)
 * @param stateDir where local state lives
 * @param threads stream threads in this instance
 * @param alignment window timing
 * @param metricsPort HTTP port of /metrics (0 = off)
 * @param metricsHost the address /metrics listens on: loopback by default, 0.0.0.0 for a scraper in a cluster
 * @param client Kafka client settings laid over the app's own (security, from the {@code --config} file)
 */
public record StreamsAppConfig(String bootstrapServers, String applicationId, Topics topics, Path stateDir, int threads,
    AlignmentConfig alignment, int metricsPort, String metricsHost, KafkaClientSettings client) {
  public static final String LOOPBACK = "127.0.0.1";

  public StreamsAppConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(metricsHost, "metricsHost");
    Objects.requireNonNull(alignment, "alignment");
    Objects.requireNonNull(client, "client");
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("--threads " + threads + " is out of range: use 1..64");
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new IllegalArgumentException("--metrics-port " + metricsPort + " is not a TCP port");
    }
  }

  /** Metrics on the loopback address. */
  public StreamsAppConfig(String bootstrapServers, String applicationId, Topics topics, Path stateDir, int threads,
      AlignmentConfig alignment, int metricsPort) {
    this(bootstrapServers, applicationId, topics, stateDir, threads, alignment, metricsPort, LOOPBACK);
  }

  /** Without client settings of a config file. */
  public StreamsAppConfig(String bootstrapServers, String applicationId, Topics topics, Path stateDir, int threads,
      AlignmentConfig alignment, int metricsPort, String metricsHost) {
    this(bootstrapServers, applicationId, topics, stateDir, threads, alignment, metricsPort, metricsHost,
        KafkaClientSettings.NONE);
  }

  /** Kafka Streams properties: exactly-once v2, short polls so the scoring punctuator runs often, 10 s sessions. */
  public Properties streamsProperties() {
    var p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put(StreamsConfig.POLL_MS_CONFIG, 10);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.consumerPrefix("isolation.level"), "read_committed");
    // A crashed instance or a replaced stream thread does not leave the group: its partitions wait for the
    // session to expire. 10 s (not Kafka's 45 s) bounds that stall for a live, latency-bound app.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    // The app has no global stores; the setting Kafka 5.0 will default to. Kafka Streams 4.4 warns at start while
    // it is off (and once more anyway: KafkaStreams builds one internal StreamsConfig without it).
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    return client.over(p);
  }
}
