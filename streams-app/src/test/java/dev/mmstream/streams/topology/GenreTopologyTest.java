package dev.mmstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.deadletter.DeadLetters;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trailers: one window from START to END, subsampled to the genre window's lengths, on the genre topic. */
class GenreTopologyTest {
  private static final long ORIGIN = 1_700_000_000_000L;
  private static final Topics TOPICS = Topics.defaults();

  private final SampleRecords samples = new SampleRecords(11);
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> events;
  private TestInputTopic<String, byte[]> frames;
  private TestInputTopic<String, byte[]> audio;
  private TestInputTopic<String, byte[]> tokens;
  private TestOutputTopic<String, Prediction> genre;
  private TestOutputTopic<String, Prediction> emotion;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  private void start(boolean servesGenre, AlignmentConfig config) {
    var topology = new MmTopology(TOPICS, config, new FakeScorer(servesGenre), new DeadLetters("test"),
        new AlignerMetrics()).build();
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "mm-genre-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(ORIGIN));
    events = input(TOPICS.streamEvents().name());
    frames = input(TOPICS.videoFrames().name());
    audio = input(TOPICS.audioLogMel().name());
    tokens = input(TOPICS.textTokens().name());
    genre = output(TOPICS.genrePredictions().name(), Prediction.class);
    emotion = output(TOPICS.emotionPredictions().name(), Prediction.class);
    deadLetters = output(TOPICS.deadLetters().name(), DeadLetter.class);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aTrailerGetsOnePredictionAtEndCoveringItWholeSubsampledToTheWindowLengths() {
    start(true, AlignmentConfig.defaults());
    event("t1", StreamEventType.START, 0);
    feed("t1", 90_000); // 450 frames (5 fps), 90 one-second audio chunks, a caption cue every 2 s
    driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(genre.readValuesToList()).as("nothing before END: a trailer is judged whole").isEmpty();

    event("t1", StreamEventType.END, 90_000);
    driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(genre.readValuesToList()).singleElement().satisfies(p -> {
      assertThat(p.getTask()).isEqualTo(Task.GENRE);
      assertThat(p.getWindowStartMs()).isEqualTo(ORIGIN);
      assertThat(p.getWindowEndMs()).isEqualTo(ORIGIN + 90_000);
      assertThat(p.getModalitiesPresent()).containsExactly(Modality.TEXT, Modality.AUDIO, Modality.VIDEO);
      assertThat(p.getLabels().get(0).getScore()).as("450 frames subsampled to the window's 64").isEqualTo(0.064f);
      assertThat(p.getLabels().get(1).getScore()).as("90 audio steps of 1 s, within the window's 120").isEqualTo(0.090f);
      assertThat(p.getModelName()).isEqualTo("fake-genre");
    });
    assertThat(emotion.readValuesToList()).as("a genre stream makes no emotion windows").isEmpty();
  }

  @Test
  void aTrailerLongerThanTheMaximumIsJudgedOnItsFirstPart() {
    start(true, withGenreMax(Duration.ofSeconds(30)));
    event("t2", StreamEventType.START, 0);
    feed("t2", 60_000);
    event("t2", StreamEventType.END, 60_000);
    driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(genre.readValuesToList()).singleElement().satisfies(p -> {
      assertThat(p.getWindowEndMs() - p.getWindowStartMs()).isEqualTo(30_000);
      assertThat(p.getLabels().get(1).getScore()).as("30 audio steps").isEqualTo(0.030f);
    });
  }

  @Test
  void aTrailerThatGoesSilentWithoutEndIsClosedByTheWallClock() {
    start(true, AlignmentConfig.defaults());
    event("t3", StreamEventType.START, 0);
    feed("t3", 20_000);
    driver.advanceWallClockTime(AlignmentConfig.defaults().idleTimeout().plusSeconds(1));
    driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(genre.readValuesToList()).singleElement()
        .satisfies(p -> assertThat(p.getWindowEndMs() - p.getWindowStartMs()).isBetween(19_000L, 20_000L));
  }

  @Test
  void withoutAGenreModelTheTrailerIsDeadLetteredWithTheFix() {
    start(false, AlignmentConfig.defaults());
    event("t4", StreamEventType.START, 0);
    feed("t4", 10_000);
    event("t4", StreamEventType.END, 10_000);
    driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(genre.readValuesToList()).isEmpty();
    assertThat(deadLetters.readValuesToList()).singleElement()
        .satisfies(d -> assertThat(d.getDetail()).contains("no model serves task GENRE").contains("models directory"));
  }

  private void event(String id, StreamEventType type, long mediaMs) {
    var event = StreamEvent.newBuilder().setStreamId(id).setType(type).setTask(Task.GENRE).setOriginMs(ORIGIN)
        .setMetadata(Map.of("title", "A Storm Over Harbour Town"));
    if (type == StreamEventType.END) {
      event.setMediaEndMs(mediaMs);
    }
    events.pipeInput(id, encode(event.build()), ORIGIN + mediaMs);
  }

  /** Frames every 200 ms, 1 s audio chunks and a caption cue every 2 s over [0, toMs). */
  private void feed(String id, long toMs) {
    for (long t = 0; t < toMs; t += 200) {
      if (t % 1000 == 0) {
        audio.pipeInput(id, encode(samples.audio(id, (int) (t / 1000))), ORIGIN + t);
      }
      if (t % 2000 == 0) {
        tokens.pipeInput(id, encode(samples.tokens(id, (int) (t / 2000))), ORIGIN + t);
      }
      frames.pipeInput(id, encode(samples.frame(id, (int) (t / 200))), ORIGIN + t);
    }
  }

  private static AlignmentConfig withGenreMax(Duration max) {
    var d = AlignmentConfig.defaults();
    return new AlignmentConfig(d.windowSize(), d.advance(), d.grace(), d.idleTimeout(), d.startTimeout(), max,
        d.scoringInterval(), d.maxBatch());
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] encode(T record) {
    return AvroSerde.of((Class<T>) record.getClass()).encode(record);
  }

  private TestInputTopic<String, byte[]> input(String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
  }

  private <T extends SpecificRecord> TestOutputTopic<String, T> output(String topic, Class<T> type) {
    return driver.createOutputTopic(topic, Serdes.String().deserializer(), AvroSerde.of(type).deserializer());
  }
}
