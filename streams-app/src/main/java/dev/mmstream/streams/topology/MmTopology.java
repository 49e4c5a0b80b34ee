package dev.mmstream.streams.topology;

import dev.mmstream.align.FeatureRows;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.TokenFeatures;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.deadletter.DeadLetters;
import dev.mmstream.streams.inference.WindowScorer;
import dev.mmstream.streams.state.v1.ReadyWindow;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The streams app's pipeline: read the four input topics → decode (bad bytes → dead letters) →
 * align per stream in event time and score closed windows in batches → emotion and genre
 * predictions, and dead letters. Every node and store is named (see {@link Names}).
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
    source(t, Names.SOURCE_EVENTS, topics.streamEvents());
    source(t, Names.SOURCE_FRAMES, topics.videoFrames());
    source(t, Names.SOURCE_AUDIO, topics.audioLogMel());
    source(t, Names.SOURCE_TOKENS, topics.textTokens());

    t.addProcessor(Names.DECODE_EVENTS, () -> new DecodeProcessor<>(AvroSerde.of(StreamEvent.class),
        Input.Event::new, deadLetters, metrics), Names.SOURCE_EVENTS);
    t.addProcessor(Names.DECODE_FRAMES, () -> new DecodeProcessor<>(AvroSerde.of(FrameFeatures.class),
        MmTopology::frame, deadLetters, metrics), Names.SOURCE_FRAMES);
    t.addProcessor(Names.DECODE_AUDIO, () -> new DecodeProcessor<>(AvroSerde.of(AudioFeatures.class),
        MmTopology::audio, deadLetters, metrics), Names.SOURCE_AUDIO);
    t.addProcessor(Names.DECODE_TOKENS, () -> new DecodeProcessor<>(AvroSerde.of(TokenFeatures.class),
        MmTopology::tokens, deadLetters, metrics), Names.SOURCE_TOKENS);

    t.addProcessor(Names.ALIGN, () -> new StreamAligner(config, scorer, deadLetters, metrics),
        Names.DECODE_EVENTS, Names.DECODE_FRAMES, Names.DECODE_AUDIO, Names.DECODE_TOKENS);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.SESSIONS_STORE),
        Serdes.String(), SessionSerde.create()), Names.ALIGN);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.BUFFER_STORE),
        Serdes.Bytes(), Serdes.ByteArray()), Names.ALIGN);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.READY_STORE),
        Serdes.Bytes(), AvroSerde.of(ReadyWindow.class)), Names.ALIGN);

    sink(t, Names.EMOTION_PREDICTIONS, topics.emotionPredictions(), Names.ALIGN);
    sink(t, Names.GENRE_PREDICTIONS, topics.genrePredictions(), Names.ALIGN);
    sink(t, Names.DEAD_LETTERS, topics.deadLetters(),
        Names.DECODE_EVENTS, Names.DECODE_FRAMES, Names.DECODE_AUDIO, Names.DECODE_TOKENS, Names.ALIGN);
    return t;
  }

  private static void source(Topology t, String name, Topic<String, ?> topic) {
    t.addSource(name, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic.name());
  }

  private static <V> void sink(Topology t, String name, Topic<String, V> topic, String... parents) {
    Serializer<V> values = topic.valueSerde().serializer();
    @SuppressWarnings("unchecked")
    Serializer<Object> any = (topicName, value) -> values.serialize(topicName, (V) value);
    t.addSink(name, topic.name(), Serdes.String().serializer(), any, parents);
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
