package dev.mmstream.ingest.source;

import java.time.Duration;

/**
 * Decoding settings.
 *
 * @param fps video frames sampled per second of media
 * @param timeout longest wait for a network source to connect or deliver data
 * @param decodeThreads FFmpeg video decoding threads. 1 by default: frame threading spends about 40%
 *     more CPU on the same frames (measured on H.264 640x360), and one core decodes 640x360 H.264 at
 *     well over 100x real time; raise it only for a single high-resolution stream that must go faster
 */
public record DecoderOptions(double fps, Duration timeout, int decodeThreads) {
  public static final int SAMPLE_RATE = 16_000;

  public DecoderOptions {
    if (!(fps > 0 && fps <= 60)) {
      throw new IllegalArgumentException("--fps " + fps + " is out of range: use (0, 60]");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0");
    }
    if (decodeThreads < 1 || decodeThreads > 64) {
      throw new IllegalArgumentException("--decode-threads " + decodeThreads + " is out of range: use 1..64");
    }
  }

  /** One decoding thread. */
  public DecoderOptions(double fps, Duration timeout) {
    this(fps, timeout, 1);
  }
}
