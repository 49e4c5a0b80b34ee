package dev.mmstream.ingest.cli;

import dev.mmstream.ingest.publish.FeatureSink;
import dev.mmstream.ingest.publish.KafkaFeatureSink;
import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.KafkaReachability;
import dev.mmstream.schema.Topics;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Opens where a run's records go: Kafka for {@code ./mmstream ingest}, memory in the CLI's tests. */
@FunctionalInterface
interface SinkFactory {
  /**
   * A sink for one stream; the caller closes it when it is {@link AutoCloseable}. {@code outage} bounds what it
   * keeps while Kafka is away; {@code report} hears that it waits, and that Kafka is back.
   */
  FeatureSink open(String bootstrapServers, KafkaClientSettings client, Topics topics, long originMs,
      KafkaFeatureSink.Outage outage, Consumer<String> report);

  /** Kafka, once the cluster has answered and holds the four input topics (else {@link KafkaReachability.Unreachable}). */
  SinkFactory KAFKA = (bootstrap, client, topics, originMs, outage, report) -> {
    KafkaReachability.require(bootstrap, client, List.of(topics.streamEvents().name(), topics.videoFrames().name(),
        topics.audioLogMel().name(), topics.textTokens().name()), KafkaReachability.DEFAULT_TIMEOUT);
    return new KafkaFeatureSink(bootstrap, topics, originMs, client.over(Map.of()), outage, report);
  };
}
