package dev.mmstream.ingest.audio;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a sample stream, pushed in pieces of any size, into overlapping analysis frames.
 *
 * <p>Frame i covers samples {@code [i * hop, i * hop + window)} of the stream: no centre padding, so
 * frame 0 starts at the first sample. Frames depend only on the samples, never on how they were split
 * into pieces. At {@link #flush} every frame that starts before the end of the stream is emitted, its
 * missing samples zero-padded, so a stream of n samples gives exactly {@code ceil(n / hop)} frames and
 * the frames' start times cover the stream's whole duration (the last one or two frames are partial
 * and so a little quieter).
 */
final class FrameSlicer {
  private final int window;
  private final int hop;
  /** The next frame's samples, {@code [0, filled)}. */
  private final float[] frame;
  private int filled;

  FrameSlicer(int window, int hop) {
    this.window = window;
    this.hop = hop;
    this.frame = new float[window];
  }

  /**
   * Appends samples and hands every frame they complete to {@code sink}. The array given to the sink
   * is reused: read it during the call, never keep or modify it.
   */
  void push(float[] pcm, int offset, int length, Consumer<float[]> sink) {
    int pos = offset;
    final int end = offset + length;
    while (pos < end) {
      final int n = Math.min(window - filled, end - pos);
      System.arraycopy(pcm, pos, frame, filled, n);
      filled += n;
      pos += n;
      if (filled == window) {
        sink.accept(frame);
        advance();
      }
    }
  }

  /** Emits the remaining frames that start before the end of the stream, zero-padded; then resets. */
  void flush(Consumer<float[]> sink) {
    while (filled > 0) {
      Arrays.fill(frame, filled, window, 0f);
      sink.accept(frame);
      advance();
    }
  }

  private void advance() {
    final int kept = Math.max(0, filled - hop);
    System.arraycopy(frame, filled - kept, frame, 0, kept);
    filled = kept;
  }
}
