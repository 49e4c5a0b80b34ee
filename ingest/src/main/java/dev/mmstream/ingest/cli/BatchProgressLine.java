package dev.mmstream.ingest.cli;

import dev.mmstream.ingest.batch.BatchProgress;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The batch's progress bar on stderr: redrawn in place every second on a terminal, a plain line every 10 s
 * otherwise (logs). Messages (Kafka is away, back again) get a line of their own. Owns its timer thread.
 */
final class BatchProgressLine implements AutoCloseable {
  private final BatchProgress progress;
  private final PrintStream err;
  private final boolean terminal = System.console() != null;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    var t = new Thread(r, "batch-progress");
    t.setDaemon(true);
    return t;
  });
  private int width;

  BatchProgressLine(BatchProgress progress, PrintStream err) {
    this.progress = progress;
    this.err = err;
    long every = terminal ? 1 : 10;
    timer.scheduleAtFixedRate(this::draw, every, every, TimeUnit.SECONDS);
  }

  synchronized void message(String text) {
    clear();
    err.println(text);
  }

  private synchronized void draw() {
    String line = "batch: " + progress.line();
    if (terminal) {
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
    } else {
      err.println(line);
    }
    err.flush();
  }

  private void clear() {
    if (terminal && width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      width = 0;
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    clear();
  }
}
