package dev.mmstream.streams.topology;

import dev.mmstream.align.StreamFeatures;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A stream's buffered feature records, stored as their original bytes under time-ordered keys, so
 * a window reads its records with range scans and nothing is re-encoded.
 */
final class FeatureBuffer {
  /** How far before a window's start a record may begin and still reach into it. */
  static final long AUDIO_LOOKBACK_MS = 2_000;
  static final long TEXT_LOOKBACK_MS = 30_000;

  private static final AvroSerde<FrameFeatures> FRAMES = AvroSerde.of(FrameFeatures.class);
  private static final AvroSerde<AudioFeatures> AUDIO = AvroSerde.of(AudioFeatures.class);
  private static final AvroSerde<TokenFeatures> TOKENS = AvroSerde.of(TokenFeatures.class);

  private final KeyValueStore<Bytes, byte[]> store;

  FeatureBuffer(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  void put(String streamId, byte modality, long startMs, long offset, byte[] bytes) {
    store.put(BufferKey.of(streamId, modality, startMs, offset), bytes);
  }

  /** The records that can reach into [fromMs, toMs). */
  StreamFeatures read(String streamId, long fromMs, long toMs) {
    return new StreamFeatures(
        decode(streamId, BufferKey.VIDEO, fromMs, toMs, FRAMES),
        decode(streamId, BufferKey.AUDIO, fromMs - AUDIO_LOOKBACK_MS, toMs, AUDIO),
        decode(streamId, BufferKey.TEXT, fromMs - TEXT_LOOKBACK_MS, toMs, TOKENS));
  }

  /** Drops records that can no longer reach a window starting at or after {@code beforeMs}. */
  void pruneBefore(String streamId, long beforeMs) {
    deleteRange(streamId, BufferKey.VIDEO, beforeMs);
    deleteRange(streamId, BufferKey.AUDIO, beforeMs - AUDIO_LOOKBACK_MS);
    deleteRange(streamId, BufferKey.TEXT, beforeMs - TEXT_LOOKBACK_MS);
  }

  void deleteAll(String streamId) {
    pruneBefore(streamId, Long.MAX_VALUE / 2);
  }

  /** Every buffered record of the stream, with its key time, for dead-lettering. */
  void forEach(String streamId, BiConsumer<Byte, byte[]> action) {
    for (byte modality : new byte[] {BufferKey.AUDIO, BufferKey.TEXT, BufferKey.VIDEO}) {
      try (var it = store.range(BufferKey.first(streamId, modality, 0), BufferKey.last(streamId, modality, Long.MAX_VALUE / 2))) {
        it.forEachRemaining(kv -> action.accept(modality, kv.value));
      }
    }
  }

  private <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(
      String streamId, byte modality, long fromMs, long toMs, AvroSerde<T> serde) {
    var records = new ArrayList<T>();
    if (toMs <= 0) {
      return records;
    }
    try (var it = store.range(BufferKey.first(streamId, modality, Math.max(0, fromMs)), BufferKey.last(streamId, modality, toMs - 1))) {
      it.forEachRemaining(kv -> records.add(serde.decode(Names.BUFFER_STORE, kv.value)));
    }
    return records;
  }

  private void deleteRange(String streamId, byte modality, long beforeMs) {
    if (beforeMs <= 0) {
      return;
    }
    var keys = new ArrayList<Bytes>();
    try (var it = store.range(BufferKey.first(streamId, modality, 0), BufferKey.last(streamId, modality, beforeMs - 1))) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(store::delete);
  }
}
