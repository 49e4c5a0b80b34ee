package dev.mmstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmstream.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three KRaft nodes in one JVM: replication factor 3, min ISR 2; a node stopped loses nothing and comes back. */
class KraftClusterIT {
  @TempDir Path dir;

  @Test
  void aThreeNodeClusterKeepsEveryRecordThroughANodeStoppedAndRestarted() throws Exception {
    var topics = Topics.defaults();
    try (var cluster = KraftCluster.start(dir, 3, 3)) {
      String bootstrap = cluster.bootstrapServers();
      TopicProvisioner.ensureTopics(bootstrap, topics, 3, (short) 3);
      assertThat(TopicProvisioner.check(bootstrap, dev.mmstream.schema.KafkaClientSettings.NONE, topics, 3, (short) 3)).isEmpty();
      String topic = topics.streamEvents().name();
      produce(bootstrap, topic, 0, 100);
      cluster.stopNode(1);
      produce(bootstrap, topic, 100, 100);  // acks=all with 2 of 3 replicas in sync: min ISR 2 holds
      assertThat(consumeAll(bootstrap, topic)).hasSize(200);
      cluster.restartNode(1);
      try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                .allSatisfy(p -> assertThat(p.isr()).hasSize(3)));
      }
    }
  }

  private static void produce(String bootstrap, String topic, int from, int count) throws Exception {
    try (var producer = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < from + count; i++) {
        producer.send(new ProducerRecord<>(topic, "s" + (i % 7), "r" + i)).get();
      }
    }
  }

  private static List<String> consumeAll(String bootstrap, String topic) {
    List<String> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, String>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "cluster-it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < 200 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }
}
