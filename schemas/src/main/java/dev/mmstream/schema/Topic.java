package dev.mmstream.schema;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with the serdes of its key and value, and the topic-level settings it is created with (e.g. a
 * short {@code retention.ms}; empty: the broker's defaults).
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {
  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    configs = Map.copyOf(configs);
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
  }

  public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    this(name, keySerde, valueSerde, Map.of());
  }
}
