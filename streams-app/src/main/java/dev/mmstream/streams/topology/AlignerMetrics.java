package dev.mmstream.streams.topology;

import dev.mmstream.schema.v1.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the app exposes (Prometheus text format, see the metrics endpoint): windows scored, late
 * records, dead letters per reason, and the window-close to prediction latency histogram.
 * Shared by every stream thread; lock-free.
 */
public final class AlignerMetrics {
  /** Upper bounds of the latency buckets, milliseconds. */
  public static final long[] LATENCY_BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

  private final LongAdder windows = new LongAdder();
  private final LongAdder lateRecords = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final Map<DeadLetterReason, LongAdder> deadLetters = new EnumMap<>(DeadLetterReason.class);
  private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BUCKETS_MS.length + 1];
  private final LongAdder latencySumMs = new LongAdder();

  public AlignerMetrics() {
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      deadLetters.put(reason, new LongAdder());
    }
    for (int i = 0; i < latencyBuckets.length; i++) {
      latencyBuckets[i] = new LongAdder();
    }
  }

  void deadLetter(DeadLetterReason reason) {
    deadLetters.get(reason).increment();
  }

  void lateRecord() {
    lateRecords.increment();
  }

  void batch() {
    batches.increment();
  }

  void windowScored(long closeToPredictionMs) {
    windows.increment();
    latencySumMs.add(closeToPredictionMs);
    int bucket = 0;
    while (bucket < LATENCY_BUCKETS_MS.length && closeToPredictionMs > LATENCY_BUCKETS_MS[bucket]) {
      bucket++;
    }
    latencyBuckets[bucket].increment();
  }

  public long windows() {
    return windows.sum();
  }

  public long lateRecords() {
    return lateRecords.sum();
  }

  public long batches() {
    return batches.sum();
  }

  public long deadLetters(DeadLetterReason reason) {
    return deadLetters.get(reason).sum();
  }

  public long latencySumMs() {
    return latencySumMs.sum();
  }

  /** Count of windows whose latency fell in bucket i (the last bucket is +Inf). */
  public long latencyBucket(int i) {
    return latencyBuckets[i].sum();
  }
}
