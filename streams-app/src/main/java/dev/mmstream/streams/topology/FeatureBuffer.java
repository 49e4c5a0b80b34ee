package dev.mmstream.streams.topology;

import dev.mmstream.align.FeatureRows;
import dev.mmstream.align.StreamRows;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A stream's buffered feature records. The store holds their original bytes under time-ordered keys (what
 * a restart restores from the changelog, and what dead letters carry); beside it, in memory, the rows each
 * record was reduced to when it arrived, so the four or so windows a record falls in read floats instead of
 * decoding Avro again. After a restart the rows of a stream are rebuilt from the store, once, on first use.
 */
final class FeatureBuffer {
  /** How far before a window's start a record may begin and still reach into it. */
  static final long AUDIO_LOOKBACK_MS = 2_000;
  static final long TEXT_LOOKBACK_MS = 30_000;

  private static final AvroSerde<FrameFeatures> FRAMES = AvroSerde.of(FrameFeatures.class);
  private static final AvroSerde<AudioFeatures> AUDIO = AvroSerde.of(AudioFeatures.class);
  private static final AvroSerde<TokenFeatures> TOKENS = AvroSerde.of(TokenFeatures.class);
  private static final byte[] MODALITIES = {BufferKey.AUDIO, BufferKey.TEXT, BufferKey.VIDEO};

  private final KeyValueStore<Bytes, byte[]> store;
  private final Map<String, NavigableMap<Bytes, FeatureRows>> rows = new HashMap<>();

  FeatureBuffer(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  void put(String streamId, byte modality, long startMs, long offset, byte[] bytes, FeatureRows reduced) {
    Bytes key = BufferKey.of(streamId, modality, startMs, offset);
    store.put(key, bytes);
    rowsOf(streamId).put(key, reduced);
  }

  /** The records that can reach into [fromMs, toMs). */
  StreamRows read(String streamId, long fromMs, long toMs) {
    var all = rowsOf(streamId);
    return new StreamRows(
        select(all, streamId, BufferKey.VIDEO, fromMs, toMs, FeatureRows.Frame.class),
        select(all, streamId, BufferKey.AUDIO, fromMs - AUDIO_LOOKBACK_MS, toMs, FeatureRows.Audio.class),
        select(all, streamId, BufferKey.TEXT, fromMs - TEXT_LOOKBACK_MS, toMs, FeatureRows.Tokens.class));
  }

  /** Drops records that can no longer reach a window starting at or after {@code beforeMs}. */
  void pruneBefore(String streamId, long beforeMs) {
    deleteRange(streamId, BufferKey.VIDEO, beforeMs);
    deleteRange(streamId, BufferKey.AUDIO, beforeMs - AUDIO_LOOKBACK_MS);
    deleteRange(streamId, BufferKey.TEXT, beforeMs - TEXT_LOOKBACK_MS);
  }

  void deleteAll(String streamId) {
    pruneBefore(streamId, Long.MAX_VALUE / 2);
    rows.remove(streamId);
  }

  /** Every buffered record of the stream, with its key time, for dead-lettering. */
  void forEach(String streamId, BiConsumer<Byte, byte[]> action) {
    for (byte modality : MODALITIES) {
      try (var it = store.range(BufferKey.first(streamId, modality, 0), BufferKey.last(streamId, modality, Long.MAX_VALUE / 2))) {
        it.forEachRemaining(kv -> action.accept(modality, kv.value));
      }
    }
  }

  private NavigableMap<Bytes, FeatureRows> rowsOf(String streamId) {
    return rows.computeIfAbsent(streamId, this::load);
  }

  /** The rows of what the store holds for a stream (after a restart; empty for a new stream). */
  private NavigableMap<Bytes, FeatureRows> load(String streamId) {
    var loaded = new TreeMap<Bytes, FeatureRows>();
    for (byte modality : MODALITIES) {
      try (var it = store.range(BufferKey.first(streamId, modality, 0), BufferKey.last(streamId, modality, Long.MAX_VALUE / 2))) {
        it.forEachRemaining(kv -> loaded.put(kv.key, reduce(modality, kv.value)));
      }
    }
    return loaded;
  }

  private static FeatureRows reduce(byte modality, byte[] bytes) {
    return switch (modality) {
      case BufferKey.VIDEO -> FeatureRows.Frame.of(FRAMES.decode(Names.BUFFER_STORE, bytes));
      case BufferKey.AUDIO -> FeatureRows.Audio.of(AUDIO.decode(Names.BUFFER_STORE, bytes));
      default -> FeatureRows.Tokens.of(TOKENS.decode(Names.BUFFER_STORE, bytes));
    };
  }

  private static <R extends FeatureRows> List<R> select(NavigableMap<Bytes, FeatureRows> all, String streamId,
      byte modality, long fromMs, long toMs, Class<R> type) {
    var selected = new ArrayList<R>();
    if (toMs <= 0) {
      return selected;
    }
    all.subMap(BufferKey.first(streamId, modality, Math.max(0, fromMs)), true, BufferKey.last(streamId, modality, toMs - 1), true)
        .values().forEach(r -> selected.add(type.cast(r)));
    return selected;
  }

  /** The cache mirrors the store's keys, so it says which to delete without a scan of the store. */
  private void deleteRange(String streamId, byte modality, long beforeMs) {
    if (beforeMs <= 0) {
      return;
    }
    var range = rowsOf(streamId).subMap(BufferKey.first(streamId, modality, 0), true,
        BufferKey.last(streamId, modality, beforeMs - 1), true);
    range.keySet().forEach(store::delete);
    range.clear();
  }
}
