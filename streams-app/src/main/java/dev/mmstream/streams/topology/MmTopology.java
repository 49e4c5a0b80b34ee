package dev.mmstream.streams.topology;

import dev.mmstream.align.FeatureRows;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.TokenFeatures;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.deadletter.DeadLetters;
import dev.mmstream.streams.inference.WindowScorer;
import dev.mmstream.streams.state.v1.ReadyWindow;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The streams app's pipeline, one named stage after another:
 * <pre>
 *   read (4 input topics, bytes) → decode (Avro → Input, reduced to rows once)
 *     → align (sessions, feature buffer; emits ClosedWindow) → score (ready store, batch timer; emits Outcome)
 *     → route (metrics; predictions and dead letters) → write (emotion, genre, dead letters)
 * </pre>
 * Decode and align send what they reject straight to route as dead letters. Every node and store is named
 * (see {@link Names}).
 */
public final class MmTopology {
  private final Topics topics;
  private final AlignmentConfig config;
  private final WindowScorer scorer;
  private final DeadLetters deadLetters;
  private final AlignerMetrics metrics;

  public MmTopology(Topics topics, AlignmentConfig config, WindowScorer scorer, DeadLetters deadLetters, AlignerMetrics metrics) {
    this.topics = topics;
    this.config = config;
    this.scorer = scorer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  public Topology build() {
    var t = new Topology();
    read(t, Names.SOURCE_EVENTS, topics.streamEvents());
    read(t, Names.SOURCE_FRAMES, topics.videoFrames());
    read(t, Names.SOURCE_AUDIO, topics.audioLogMel());
    read(t, Names.SOURCE_TOKENS, topics.textTokens());

    decode(t, Names.DECODE_EVENTS, Names.SOURCE_EVENTS, StreamEvent.class, Input.Event::new);
    decode(t, Names.DECODE_FRAMES, Names.SOURCE_FRAMES, FrameFeatures.class, MmTopology::frame);
    decode(t, Names.DECODE_AUDIO, Names.SOURCE_AUDIO, AudioFeatures.class, MmTopology::audio);
    decode(t, Names.DECODE_TOKENS, Names.SOURCE_TOKENS, TokenFeatures.class, MmTopology::tokens);

    t.addProcessor(Names.ALIGN, () -> new StreamAligner(config, scorer, deadLetters, metrics),
        Names.DECODE_EVENTS, Names.DECODE_FRAMES, Names.DECODE_AUDIO, Names.DECODE_TOKENS);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.SESSIONS_STORE),
        Serdes.String(), SessionSerde.create()), Names.ALIGN);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.BUFFER_STORE),
        Serdes.Bytes(), Serdes.ByteArray()), Names.ALIGN);

    t.addProcessor(Names.SCORE, () -> new BatchScorer(scorer, deadLetters, metrics, config.maxBatch(),
        config.scoringInterval(), config.batchWait()), Names.ALIGN);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.READY_STORE),
        Serdes.Bytes(), AvroSerde.of(ReadyWindow.class)), Names.SCORE);

    t.addProcessor(Names.ROUTE, () -> new OutcomeRouter(metrics),
        Names.DECODE_EVENTS, Names.DECODE_FRAMES, Names.DECODE_AUDIO, Names.DECODE_TOKENS, Names.ALIGN, Names.SCORE);

    write(t, Names.EMOTION_PREDICTIONS, topics.emotionPredictions(), MmTopology::prediction);
    write(t, Names.GENRE_PREDICTIONS, topics.genrePredictions(), MmTopology::prediction);
    write(t, Names.DEAD_LETTERS, topics.deadLetters(), MmTopology::deadLetter);
    return t;
  }

  private static void read(Topology t, String name, Topic<String, ?> topic) {
    t.addSource(name, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic.name());
  }

  private <V extends SpecificRecord> void decode(Topology t, String name, String source, Class<V> type,
      BiFunction<V, Input.Provenance, Input> toInput) {
    t.addProcessor(name, () -> new DecodeProcessor<>(AvroSerde.of(type), toInput, deadLetters), source);
  }

  /** A sink of the router: `value` picks the record the topic holds out of the outcome. */
  private static <V> void write(Topology t, String name, Topic<String, V> topic, Function<Outcome, V> value) {
    Serializer<V> values = topic.valueSerde().serializer();
    Serializer<Outcome> outcomes = (topicName, outcome) -> values.serialize(topicName, value.apply(outcome));
    t.addSink(name, topic.name(), Serdes.String().serializer(), outcomes, Names.ROUTE);
  }

  private static Prediction prediction(Outcome outcome) {
    if (outcome instanceof Outcome.Predicted p) {
      return p.prediction();
    }
    throw new IllegalStateException("a dead letter was routed to a prediction topic");
  }

  private static DeadLetter deadLetter(Outcome outcome) {
    if (outcome instanceof Outcome.DeadLettered d) {
      return d.letter();
    }
    throw new IllegalStateException("a prediction was routed to the dead-letter topic");
  }

  private static Input frame(FrameFeatures f, Input.Provenance p) {
    return new Input.Feature(BufferKey.VIDEO, FeatureRows.Frame.of(f), f.getPtsMs(), f.getPtsMs(), f.getSpecId(), p);
  }

  private static Input audio(AudioFeatures a, Input.Provenance p) {
    var rows = FeatureRows.Audio.of(a);
    return new Input.Feature(BufferKey.AUDIO, rows, a.getStartMs(), rows.endMs(), a.getSpecId(), p);
  }

  private static Input tokens(TokenFeatures t, Input.Provenance p) {
    return new Input.Feature(BufferKey.TEXT, FeatureRows.Tokens.of(t), t.getCueStartMs(), t.getCueEndMs(), t.getSpecId(), p);
  }
}
