package dev.mmstream.ingest.publish;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Watches the records a producer has not had acknowledged, so that a broker outage is said, not suffered in
 * silence: when the oldest unacknowledged record is older than {@link #QUIET}, {@link #check()} reports how many
 * records and bytes wait and how long they are kept; again every {@link #REPEAT}; and once more when they are all
 * delivered. Thread-safe: sends and acknowledgements come from different threads.
 */
public final class DeliveryWatch {
  static final Duration QUIET = Duration.ofSeconds(5);
  static final Duration REPEAT = Duration.ofSeconds(10);

  private final String where;
  private final Duration keptFor;
  private final long bufferBytes;
  private final Consumer<String> report;
  private final LongSupplier clockMs;
  private final ConcurrentSkipListMap<Long, Long> pending = new ConcurrentSkipListMap<>();  // send id -> sent at
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
  private long waitingSinceMs = -1;
  private long reportedAtMs = -1;

  public DeliveryWatch(String where, Duration keptFor, long bufferBytes, Consumer<String> report, LongSupplier clockMs) {
    this.where = where;
    this.keptFor = keptFor;
    this.bufferBytes = bufferBytes;
    this.report = report;
    this.clockMs = clockMs;
  }

  /** A record of {@code bytes} handed to the producer; returns the id to acknowledge it with. */
  public long sent(int bytes) {
    long id = ids.incrementAndGet();
    pending.put(id, clockMs.getAsLong());
    pendingBytes.addAndGet(bytes);
    return id;
  }

  /** The broker acknowledged record {@code id}, or ({@code delivered} false) the producer gave up on it. */
  public void done(long id, int bytes, boolean delivered) {
    if (pending.remove(id) != null) {
      pendingBytes.addAndGet(-bytes);
    }
    if (!delivered) {
      lost.set(true);
    }
  }

  /** Reports an outage, its progress, or its end; call it about once a second. */
  public synchronized void check() {
    long now = clockMs.getAsLong();
    var oldest = pending.firstEntry();
    long age = oldest == null ? 0 : now - oldest.getValue();
    if (age >= QUIET.toMillis()) {
      if (waitingSinceMs < 0) {
        waitingSinceMs = oldest.getValue();
      }
      if (reportedAtMs < 0 || now - reportedAtMs >= REPEAT.toMillis()) {
        reportedAtMs = now;
        report.accept(String.format(Locale.ROOT, "waiting for Kafka at %s: %,d records (%.1f of %d MiB buffer) not"
                + " acknowledged for %d s; they are kept up to %d s (--outage-s), then ingest stops", where,
            pending.size(), pendingBytes.get() / (double) (1 << 20), bufferBytes >> 20, age / 1000, keptFor.toSeconds()));
      }
    } else if (waitingSinceMs >= 0 && pending.isEmpty() && !lost.get()) {
      report.accept(String.format(Locale.ROOT, "Kafka at %s answers again after %d s: every kept record was delivered",
          where, (now - waitingSinceMs) / 1000));
      waitingSinceMs = -1;
      reportedAtMs = -1;
    }
  }
}
