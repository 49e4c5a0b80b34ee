package dev.mmstream.streams.topology;

import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.deadletter.DeadLetters;
import dev.mmstream.streams.inference.WindowScorer;
import java.time.Instant;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * {@link MmTopology} in a {@link TopologyTestDriver} whose clock starts at {@link #ORIGIN}: the feature and
 * event topics take Avro bytes as producers write them, the prediction and dead-letter topics are decoded.
 */
final class TopologyHarness implements AutoCloseable {
  static final long ORIGIN = 1_700_000_000_000L;
  static final Topics TOPICS = Topics.defaults();

  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> events;
  final TestInputTopic<String, byte[]> frames;
  final TestInputTopic<String, byte[]> audio;
  final TestInputTopic<String, byte[]> tokens;
  final TestOutputTopic<String, Prediction> emotion;
  final TestOutputTopic<String, Prediction> genre;
  final TestOutputTopic<String, DeadLetter> deadLetters;

  TopologyHarness(String applicationId, AlignmentConfig config, WindowScorer scorer, AlignerMetrics metrics) {
    var topology = new MmTopology(TOPICS, config, scorer, new DeadLetters("test"), metrics).build();
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(ORIGIN));
    events = input(TOPICS.streamEvents().name());
    frames = input(TOPICS.videoFrames().name());
    audio = input(TOPICS.audioLogMel().name());
    tokens = input(TOPICS.textTokens().name());
    emotion = output(TOPICS.emotionPredictions().name(), Prediction.class);
    genre = output(TOPICS.genrePredictions().name(), Prediction.class);
    deadLetters = output(TOPICS.deadLetters().name(), DeadLetter.class);
  }

  @SuppressWarnings("unchecked")
  static <T extends SpecificRecord> byte[] encode(T record) {
    return AvroSerde.of((Class<T>) record.getClass()).encode(record);
  }

  private TestInputTopic<String, byte[]> input(String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
  }

  private <T extends SpecificRecord> TestOutputTopic<String, T> output(String topic, Class<T> type) {
    return driver.createOutputTopic(topic, Serdes.String().deserializer(), AvroSerde.of(type).deserializer());
  }

  @Override
  public void close() {
    driver.close();
  }
}
