package dev.mmstream.schema;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client settings a deployment gives every command, such as security: the {@code kafka.*} keys of a
 * {@code --config FILE} without the prefix ({@code kafka.security.protocol=SASL_SSL}). They are laid over each
 * client's own settings; the bootstrap servers stay the {@code --bootstrap} option's. {@link #toString()} hides
 * every value that could be a secret, so the settings can be logged.
 *
 * @param values Kafka client properties, e.g. {@code sasl.mechanism} → {@code SCRAM-SHA-512}
 */
public record KafkaClientSettings(Map<String, String> values) {
  /** The config-file prefix of a Kafka client setting. */
  public static final String PREFIX = "kafka.";
  public static final KafkaClientSettings NONE = new KafkaClientSettings(Map.of());

  public KafkaClientSettings {
    values = Map.copyOf(values);
    if (values.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("kafka.bootstrap.servers is set: give the cluster with --bootstrap (or bootstrap=)");
    }
  }

  /** The {@code kafka.*} entries of a config file. */
  public static KafkaClientSettings fromConfig(Properties config) {
    Map<String, String> values = new HashMap<>();
    for (String key : config.stringPropertyNames()) {
      if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
        values.put(key.substring(PREFIX.length()), config.getProperty(key));
      }
    }
    return new KafkaClientSettings(values);
  }

  /** {@code base} with these settings laid over it (a new map; {@code base} is not changed). */
  public Map<String, Object> over(Map<String, Object> base) {
    Map<String, Object> merged = new HashMap<>(base);
    merged.putAll(values);
    return merged;
  }

  /** Lays these settings over {@code properties} and returns it. */
  public Properties over(Properties properties) {
    properties.putAll(values);
    return properties;
  }

  /** The security protocol these settings ask for ({@code PLAINTEXT} when they name none). */
  public String securityProtocol() {
    return values.getOrDefault("security.protocol", "PLAINTEXT");
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    values.forEach((k, v) -> shown.put(k, secret(k) ? "[hidden]" : v));
    return "KafkaClientSettings" + shown;
  }

  private static boolean secret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
        || k.contains("token") || k.contains("credentials");
  }
}
