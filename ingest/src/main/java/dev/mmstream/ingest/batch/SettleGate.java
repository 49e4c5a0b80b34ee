package dev.mmstream.ingest.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Lets a watched trailer through once its files (media and sidecars) have stopped changing for the settle
 * time: a trailer still being copied into the folder grows, and ingesting half of it would publish half a
 * trailer. Not thread-safe: the watch loop's own.
 */
final class SettleGate {
  private final long settleMs;
  private final LongSupplier clock;
  private final Map<Path, Seen> seen = new HashMap<>();

  private record Seen(String state, long sinceMs) {}

  SettleGate(long settleMs, LongSupplier clock) {
    this.settleMs = settleMs;
    this.clock = clock;
  }

  /** True when the trailer's files have looked the same for the settle time (this call counts as a look). */
  boolean settled(Trailer trailer) {
    String state = state(TrailerFolder.filesOf(trailer));
    long now = clock.getAsLong();
    Seen before = seen.get(trailer.media());
    if (before == null || !before.state().equals(state)) {
      seen.put(trailer.media(), new Seen(state, now));
      return settleMs == 0;
    }
    return now - before.sinceMs() >= settleMs;
  }

  /** Forgets a trailer that was taken (a new file of the same name is looked at afresh). */
  void taken(Trailer trailer) {
    seen.remove(trailer.media());
  }

  private static String state(List<Path> files) {
    var state = new StringBuilder();
    for (Path file : files) {
      try {
        state.append(file).append('|').append(Files.size(file)).append('|').append(Files.getLastModifiedTime(file).toMillis()).append(';');
      } catch (IOException e) {
        state.append(file).append("|gone;");
      }
    }
    return state.toString();
  }
}
