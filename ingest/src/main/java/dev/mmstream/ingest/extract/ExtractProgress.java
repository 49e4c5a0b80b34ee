package dev.mmstream.ingest.extract;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One self-overwriting status line on stderr: clips done of total, skipped and failed counts, clips
 * per second over the clips actually processed, and the time left at that rate. Thread-safe.
 */
final class ExtractProgress {
  private static final long MIN_INTERVAL_NANOS = 500_000_000L;

  private final int total;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private int done;
  private int skipped;
  private int failed;
  private long lastPrint;

  ExtractProgress(int total, PrintStream out) {
    this.total = total;
    this.out = out;
  }

  synchronized void record(ClipOutcome outcome) {
    done++;
    if (outcome instanceof ClipOutcome.Skipped) {
      skipped++;
    } else if (outcome instanceof ClipOutcome.Failed) {
      failed++;
    }
    long now = System.nanoTime();
    if (done == total || now - lastPrint >= MIN_INTERVAL_NANOS) {
      lastPrint = now;
      out.print("\r" + line(now));
      out.flush();
    }
  }

  synchronized void finish() {
    if (total > 0) {
      out.println();
    }
  }

  synchronized String line(long nowNanos) {
    double seconds = (nowNanos - started) / 1e9;
    int processed = done - skipped;
    double rate = seconds > 0 ? processed / seconds : 0;
    String eta = rate > 0 ? duration((total - done) / rate) : "?";
    return String.format(Locale.ROOT, "extract: %d/%d clips (%d skipped, %d failed), %.2f clips/s, ETA %s   ",
        done, total, skipped, failed, rate, eta);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
        : s + "s";
  }
}
