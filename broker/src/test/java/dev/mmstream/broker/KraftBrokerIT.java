package dev.mmstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.KafkaReachability;
import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker is a real broker: topics, transactions, read_committed, durable storage. */
class KraftBrokerIT {
  private static final int RECORDS = 1_000;
  private static final int STREAMS = 7;

  @TempDir Path dataDir;

  @Test
  void thousandRecordsOfEveryTypeRoundTripInOrderPerKeyAndSurviveARestart() {
    var topics = Topics.defaults();
    Map<String, List<byte[]>> written = new HashMap<>();
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dataDir, 3))) {
      var created = TopicProvisioner.ensureTopics(broker.bootstrapServers(), topics, 3);
      List<String> names = topics.all().stream().<String>map(Topic::name).toList();
      KafkaReachability.require(broker.bootstrapServers(), names, Duration.ofSeconds(30));
      var withMissing = new ArrayList<>(names);
      withMissing.add("mm.not-there");
      assertThatThrownBy(() -> KafkaReachability.require(broker.bootstrapServers(), withMissing, Duration.ofSeconds(30)))
          .isInstanceOf(KafkaReachability.Unreachable.class)
          .hasMessageContaining("has no topic mm.not-there: ./mmstream broker creates the project's topics");
      assertThat(created).hasSize(topics.all().size());
      assertThat(topicNames(broker.bootstrapServers()))
          .containsAll(topics.all().stream().map(Topic::name).toList());

      for (Topic<String, ?> topic : topics.all()) {
        written.put(topic.name(), produceTransactionally(broker.bootstrapServers(), topic));
      }
      for (Topic<String, ?> topic : topics.all()) {
        assertReadsBackInOrderPerKey(broker.bootstrapServers(), topic, written.get(topic.name()));
      }
    }

    // same data dir: the broker keeps what it stored
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dataDir, 3))) {
      assertThat(TopicProvisioner.ensureTopics(broker.bootstrapServers(), topics, 3)).isEmpty();
      var events = topics.streamEvents();
      assertReadsBackInOrderPerKey(broker.bootstrapServers(), events, written.get(events.name()));
    }
  }

  private static List<byte[]> produceTransactionally(String bootstrap, Topic<String, ?> topic) {
    @SuppressWarnings("unchecked")
    var serde = (AvroSerde<SpecificRecord>) topic.valueSerde();
    var samples = new SampleRecords(topic.name().hashCode());
    var values = new ArrayList<byte[]>();
    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < RECORDS; i++) {
        String key = "stream-" + (i % STREAMS);
        byte[] value = serde.encode(samples.of(serde.type(), key, i));
        values.add(value);
        producer.send(new ProducerRecord<>(topic.name(), key, value));
      }
      producer.commitTransaction();
      // an aborted transaction must stay invisible to read_committed consumers
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic.name(), "stream-0", new byte[] {1, 2, 3}));
      producer.flush();
      producer.abortTransaction();
    }
    return values;
  }

  private static void assertReadsBackInOrderPerKey(
      String bootstrap, Topic<String, ?> topic, List<byte[]> written) {
    var consumed = new ArrayList<ConsumerRecord<String, byte[]>>();
    try (var consumer =
        new KafkaConsumer<String, byte[]>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      // assign instead of subscribe: no consumer-group rebalance to wait for
      consumer.assign(
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .toList());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumed.size() < RECORDS && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(consumed::add);
      }
      // anything past the committed records (e.g. the aborted one) would arrive in the next polls
      consumer.poll(Duration.ofMillis(500)).forEach(consumed::add);
    }
    assertThat(consumed).as("records read back from %s", topic.name()).hasSize(RECORDS);

    Map<String, List<Integer>> orderPerKey = new HashMap<>();
    for (var record : consumed) {
      Object decoded = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
      assertThat(decoded).isNotNull();
      int index = indexOf(written, record.value());
      assertThat(index).as("a consumed value was never produced").isNotNegative();
      assertThat(record.key()).isEqualTo("stream-" + (index % STREAMS));
      orderPerKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(index);
    }
    orderPerKey.values().forEach(indices -> assertThat(indices).isSorted());
  }

  private static int indexOf(List<byte[]> written, byte[] value) {
    for (int i = 0; i < written.size(); i++) {
      if (java.util.Arrays.equals(written.get(i), value)) {
        return i;
      }
    }
    return -1;
  }

  private static Set<String> topicNames(String bootstrap) {
    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      return admin.listTopics().names().get();
    } catch (Exception e) {
      throw new AssertionError("cannot list topics", e);
    }
  }
}
