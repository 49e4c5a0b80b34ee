package dev.mmstream.cli;

import dev.mmstream.schema.KafkaClientSettings;

/**
 * A command that talks to Kafka: {@link Cli} hands it the {@code kafka.*} client settings of its
 * {@code --config FILE} (security, timeouts) before it runs; without a file it gets {@link KafkaClientSettings#NONE}.
 */
public interface KafkaClientCommand {
  void useKafkaClientSettings(KafkaClientSettings settings);
}
