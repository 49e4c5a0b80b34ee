package dev.mmstream.streams.config;

import dev.mmstream.align.HoppingWindows;
import java.time.Duration;

/**
 * When windows close.
 *
 * @param windowSize emotion window length (default 4 s)
 * @param advance emotion window hop (default 1 s)
 * @param grace how far audio and video must have moved past a window's end before it closes (500 ms)
 * @param idleTimeout wall-clock silence after which a stream's windows close without END (5 s)
 * @param startTimeout wall-clock time to wait for a stream's START before dead-lettering its records (60 s)
 * @param genreMaxDuration a trailer longer than this is closed at this length (10 min)
 * @param scoringInterval how often the closed windows waiting for inference are looked at (10 ms)
 * @param maxBatch most windows in one inference run
 * @param batchWait how long a closed window may wait for others to share its inference run (50 ms): windows
 *     of many streams close within a few milliseconds of each other when their audio arrives, and one run
 *     over a batch costs far less per window than a run each
 */
public record AlignmentConfig(
    Duration windowSize,
    Duration advance,
    Duration grace,
    Duration idleTimeout,
    Duration startTimeout,
    Duration genreMaxDuration,
    Duration scoringInterval,
    int maxBatch,
    Duration batchWait) {
  public AlignmentConfig {
    positive("ALIGN_WINDOW_MS", windowSize);
    positive("ALIGN_ADVANCE_MS", advance);
    positive("ALIGN_IDLE_TIMEOUT_MS", idleTimeout);
    positive("ALIGN_START_TIMEOUT_MS", startTimeout);
    positive("GENRE_MAX_DURATION_MS", genreMaxDuration);
    positive("SCORING_INTERVAL_MS", scoringInterval);
    if (grace.isNegative()) {
      throw new IllegalArgumentException("ALIGN_GRACE_MS=" + grace.toMillis() + " must be >= 0");
    }
    if (advance.compareTo(windowSize) > 0) {
      throw new IllegalArgumentException(
          "ALIGN_ADVANCE_MS=" + advance.toMillis() + " must not exceed ALIGN_WINDOW_MS=" + windowSize.toMillis());
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("MAX_BATCH=" + maxBatch + " must be >= 1");
    }
    if (batchWait.isNegative()) {
      throw new IllegalArgumentException("BATCH_WAIT_MS=" + batchWait.toMillis() + " must be >= 0");
    }
  }

  /** With the default batch wait. */
  public AlignmentConfig(Duration windowSize, Duration advance, Duration grace, Duration idleTimeout, Duration startTimeout,
      Duration genreMaxDuration, Duration scoringInterval, int maxBatch) {
    this(windowSize, advance, grace, idleTimeout, startTimeout, genreMaxDuration, scoringInterval, maxBatch, DEFAULT_BATCH_WAIT);
  }

  /** The same, with another batch wait. */
  public AlignmentConfig withBatchWait(Duration wait) {
    return new AlignmentConfig(windowSize, advance, grace, idleTimeout, startTimeout, genreMaxDuration, scoringInterval,
        maxBatch, wait);
  }

  public static final Duration DEFAULT_BATCH_WAIT = Duration.ofMillis(50);

  /** The emotion windows this configuration cuts, as models record theirs. */
  public HoppingWindows hopping() {
    return new HoppingWindows(windowSize, advance);
  }

  public static AlignmentConfig defaults() {
    return new AlignmentConfig(Duration.ofSeconds(4), Duration.ofSeconds(1), Duration.ofMillis(500),
        Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofMillis(10), 64);
  }

  private static void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + "=" + value.toMillis() + " must be > 0");
    }
  }
}
