package dev.mmstream.ingest.batch;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The batch's overall progress: trailers done, failed and running, trailers per minute and media speed. A
 * failure is printed at once, on a line of its own; {@link #line()} is what the progress bar shows.
 */
public final class BatchProgress {
  private final PrintStream err;
  private final LongSupplier nanos;
  private final long started;
  private final List<String> failures = new ArrayList<>();
  private int queued;
  private int running;
  private int done;
  private int skipped;
  private long mediaMs;

  public BatchProgress(PrintStream err, LongSupplier nanos) {
    this.err = err;
    this.nanos = nanos;
    this.started = nanos.getAsLong();
  }

  synchronized void queued() {
    queued++;
  }

  synchronized void alreadyDone() {
    skipped++;
  }

  synchronized void started() {
    queued--;
    running++;
  }

  synchronized void finished(long trailerMediaMs) {
    running--;
    done++;
    mediaMs += trailerMediaMs;
  }

  /** A trailer left unfinished because the batch stopped. */
  synchronized void abandoned() {
    running = Math.max(0, running - 1);
  }

  synchronized void failed(String streamId, String where, String reason, long trailerMediaMs) {
    running = Math.max(0, running - 1);
    mediaMs += trailerMediaMs;
    String message = streamId + " (" + where + "): " + reason;
    failures.add(message);
    err.println("FAILED " + message);
  }

  /** Something the trailer goes on without (an unreadable poster, a bad caption cue), on its own line. */
  synchronized void warning(String streamId, String warning) {
    err.println("WARN " + streamId + ": " + warning);
  }

  /** Trailers ingested whole (not counting failures). */
  public synchronized int done() {
    return done;
  }

  public synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  public synchronized int skipped() {
    return skipped;
  }

  synchronized boolean idle() {
    return queued == 0 && running == 0;
  }

  /** e.g. {@code 12 done, 1 failed, 2 running, 5 queued: 6.1 trailers/min, 38x real time}. */
  public synchronized String line() {
    return String.format(Locale.ROOT, "%d done, %d failed, %d running, %d queued: %.1f trailers/min, %.0fx real time",
        done, failures.size(), running, queued, perMinute(), speed());
  }

  /** The run's last line, e.g. {@code 20 trailers in 3 min 12 s (6.2 trailers/min, 41x real time): 20 ingested, 0 failed}. */
  public synchronized String summary() {
    long seconds = Math.round(elapsedSeconds());
    String skippedNote = skipped == 0 ? "" : String.format(Locale.ROOT, "; %d skipped (already in the ledger)", skipped);
    return String.format(Locale.ROOT, "%d trailers in %d min %d s (%.1f trailers/min, %.0fx real time): %d ingested, %d failed%s",
        done + failures.size(), seconds / 60, seconds % 60, perMinute(), speed(), done, failures.size(), skippedNote);
  }

  private double perMinute() {
    double minutes = elapsedSeconds() / 60;
    return minutes <= 0 ? 0 : (done + failures.size()) / minutes;
  }

  private double speed() {
    double seconds = elapsedSeconds();
    return seconds <= 0 ? 0 : mediaMs / 1000.0 / seconds;
  }

  private double elapsedSeconds() {
    return (nanos.getAsLong() - started) / 1e9;
  }
}
