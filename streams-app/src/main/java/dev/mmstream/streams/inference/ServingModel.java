package dev.mmstream.streams.inference;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded model plus the count of runs using it, so a hot swap can retire it while batches are in
 * flight: after {@link #retire()} no new run acquires it, and the last run out closes it.
 */
final class ServingModel {
  private static final int RETIRED = Integer.MIN_VALUE;

  private final OnnxFusionModel model;
  /** Runs in flight, with the sign bit set once retired. */
  private final AtomicInteger state = new AtomicInteger();

  ServingModel(OnnxFusionModel model) {
    this.model = model;
  }

  OnnxFusionModel model() {
    return model;
  }

  /** False once retired: the caller looks up the current model again. */
  boolean acquire() {
    int s;
    do {
      s = state.get();
      if ((s & RETIRED) != 0) {
        return false;
      }
    } while (!state.compareAndSet(s, s + 1));
    return true;
  }

  void release() {
    if (state.decrementAndGet() == RETIRED) {
      model.close();
    }
  }

  /** No new runs; closes now if none is in flight, else when the last one releases. */
  void retire() {
    int s;
    do {
      s = state.get();
      if ((s & RETIRED) != 0) {
        return;
      }
    } while (!state.compareAndSet(s, s | RETIRED));
    if (s == 0) {
      model.close();
    }
  }
}
