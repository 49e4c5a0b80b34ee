package dev.mmstream.ingest.cli;

import java.io.PrintStream;
import java.util.Locale;

/** One self-overwriting line: media position and speed in x real time, at most twice a second. */
final class ProgressLine {
  private final String streamId;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private long lastPrint;
  private boolean printed;

  ProgressLine(String streamId, PrintStream out) {
    this.streamId = streamId;
    this.out = out;
  }

  void update(long mediaMs) {
    long now = System.nanoTime();
    if (now - lastPrint < 500_000_000L) {
      return;
    }
    lastPrint = now;
    double wall = (now - started) / 1e9;
    out.printf(Locale.ROOT, "\r%s: %7.1f s of media, %5.1fx real time", streamId, mediaMs / 1000.0, wall > 0 ? mediaMs / 1000.0 / wall : 0);
    printed = true;
  }

  void finish() {
    if (printed) {
      out.println();
    }
  }
}
