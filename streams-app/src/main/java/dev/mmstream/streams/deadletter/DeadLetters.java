package dev.mmstream.streams.deadletter;

import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.DeadLetterReason;
import java.nio.ByteBuffer;

/** Builds dead letters: the reason, a detail a person understands, and what is needed to replay. */
public final class DeadLetters {
  private final String appVersion;

  public DeadLetters(String appVersion) {
    this.appVersion = appVersion;
  }

  /** One input record at fault: keeps its topic, partition, offset and original bytes. */
  public DeadLetter forRecord(DeadLetterReason reason, String detail, String topic, int partition, long offset, byte[] key, byte[] value) {
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setDetail(detail)
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
        .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
        .setAppVersion(appVersion)
        .setRecordedAtMs(System.currentTimeMillis())
        .build();
  }

  /** An aligned window at fault: keeps its event-time bounds and the assembled window bytes. */
  public DeadLetter forWindow(DeadLetterReason reason, String detail, long startMs, long endMs, byte[] key, byte[] window) {
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setDetail(detail)
        .setWindowStartMs(startMs)
        .setWindowEndMs(endMs)
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
        .setOriginalValue(window == null ? null : ByteBuffer.wrap(window))
        .setAppVersion(appVersion)
        .setRecordedAtMs(System.currentTimeMillis())
        .build();
  }
}
