package dev.mmstream.ingest.pipeline;

/** Holds a file back to live speed, or lets it run as fast as it decodes. */
public interface Pacer {
  /** Returns once media time {@code mediaMs} may be processed. */
  void await(long mediaMs) throws InterruptedException;

  Pacer AS_FAST_AS_POSSIBLE = mediaMs -> {};

  /** Real time from the first call on: media time t is released at start + t. */
  static Pacer realtime() {
    return new Pacer() {
      private long startNanos = -1;

      @Override
      public void await(long mediaMs) throws InterruptedException {
        long now = System.nanoTime();
        if (startNanos < 0) {
          startNanos = now - mediaMs * 1_000_000L;
        }
        long dueNanos = startNanos + mediaMs * 1_000_000L;
        if (dueNanos > now) {
          Thread.sleep((dueNanos - now) / 1_000_000L, (int) ((dueNanos - now) % 1_000_000L));
        }
      }
    };
  }
}
