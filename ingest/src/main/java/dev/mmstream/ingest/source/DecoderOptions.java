package dev.mmstream.ingest.source;

import java.time.Duration;

/**
 * Decoding settings.
 *
 * @param fps video frames sampled per second of media
 * @param timeout longest wait for a network source to connect or deliver data
 */
public record DecoderOptions(double fps, Duration timeout) {
  public static final int SAMPLE_RATE = 16_000;

  public DecoderOptions {
    if (!(fps > 0 && fps <= 60)) {
      throw new IllegalArgumentException("--fps " + fps + " is out of range: use (0, 60]");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0");
    }
  }
}
