package dev.mmstream.streams.inference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells, poll by poll, which model files are new or changed and have settled: a file is ready when it
 * shows the same stamp on two consecutive polls (a copy in progress keeps changing size or time).
 * Every ready file is reported once per stamp, whether or not it later loads.
 */
final class DirectoryWatch {
  /** Files to load now, and files that disappeared. */
  record Changes(List<Path> ready, List<Path> removed) {}

  private final ModelDirectory directory;
  private final Map<Path, ModelDirectory.Stamp> known = new HashMap<>();
  private final Map<Path, ModelDirectory.Stamp> pending = new HashMap<>();

  DirectoryWatch(ModelDirectory directory) {
    this.directory = directory;
  }

  /** The files present now, all taken as known (startup loads them directly). */
  Map<Path, ModelDirectory.Stamp> baseline() {
    Map<Path, ModelDirectory.Stamp> now = directory.scan();
    known.putAll(now);
    return now;
  }

  Changes changes() {
    Map<Path, ModelDirectory.Stamp> now = directory.scan();
    List<Path> removed = new ArrayList<>();
    for (Path p : List.copyOf(known.keySet())) {
      if (!now.containsKey(p)) {
        known.remove(p);
        removed.add(p);
      }
    }
    pending.keySet().retainAll(now.keySet());
    List<Path> ready = new ArrayList<>();
    now.forEach((path, stamp) -> {
      if (stamp.equals(known.get(path))) {
        pending.remove(path);
      } else if (stamp.equals(pending.put(path, stamp))) {
        pending.remove(path);
        known.put(path, stamp);
        ready.add(path);
      }
    });
    return new Changes(ready, removed);
  }
}
