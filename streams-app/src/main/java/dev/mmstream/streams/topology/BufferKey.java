package dev.mmstream.streams.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the feature buffer: stream id, a 0 byte, the modality, the record's media start time and its
 * source offset, big-endian, so one range scan returns a stream's records of one modality in time order.
 */
final class BufferKey {
  static final byte AUDIO = 'A';
  static final byte TEXT = 'T';
  static final byte VIDEO = 'V';

  private BufferKey() {}

  static Bytes of(String streamId, byte modality, long mediaMs, long offset) {
    byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(id.length + 18).put(id).put((byte) 0).put(modality)
        .putLong(Math.max(0, mediaMs)).putLong(offset).array());
  }

  static Bytes first(String streamId, byte modality, long fromMediaMs) {
    return of(streamId, modality, fromMediaMs, 0);
  }

  static Bytes last(String streamId, byte modality, long toMediaMs) {
    return of(streamId, modality, toMediaMs, Long.MAX_VALUE);
  }

  static long mediaMs(Bytes key) {
    byte[] k = key.get();
    return ByteBuffer.wrap(k, k.length - 16, 8).getLong();
  }

  /** Stream ids with a 0 byte would make keys ambiguous; ingest never produces them. */
  static boolean isValidStreamId(String streamId) {
    return streamId != null && !streamId.isEmpty() && streamId.indexOf('\0') < 0;
  }
}
