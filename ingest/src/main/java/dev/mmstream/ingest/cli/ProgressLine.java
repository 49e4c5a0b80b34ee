package dev.mmstream.ingest.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One self-overwriting line: media position and speed in x real time, at most twice a second. A message from
 * another thread (Kafka is away) takes the line's place and the progress goes on below it.
 */
final class ProgressLine {
  private final String streamId;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private long lastPrint;
  private boolean printed;
  private int width;

  ProgressLine(String streamId, PrintStream out) {
    this.streamId = streamId;
    this.out = out;
  }

  synchronized void update(long mediaMs) {
    long now = System.nanoTime();
    if (now - lastPrint < 500_000_000L) {
      return;
    }
    lastPrint = now;
    double wall = (now - started) / 1e9;
    String line = String.format(Locale.ROOT, "%s: %7.1f s of media, %5.1fx real time", streamId, mediaMs / 1000.0,
        wall > 0 ? mediaMs / 1000.0 / wall : 0);
    out.print("\r" + line);
    width = line.length();
    printed = true;
  }

  /** A line of its own, over the progress line if one is shown. */
  synchronized void message(String text) {
    out.println("\r" + text + " ".repeat(Math.max(0, width - text.length())));
    width = 0;
  }

  synchronized void finish() {
    if (printed) {
      out.println();
    }
  }
}
