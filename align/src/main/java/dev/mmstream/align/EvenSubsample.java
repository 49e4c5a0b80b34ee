package dev.mmstream.align;

import java.util.ArrayList;
import java.util.List;

/** Picks at most {@code max} items spread evenly over a list, keeping order; deterministic. */
final class EvenSubsample {
  private EvenSubsample() {}

  static <T> List<T> of(List<T> items, int max) {
    int n = items.size();
    if (n <= max) {
      return items;
    }
    var picked = new ArrayList<T>(max);
    for (int i = 0; i < max; i++) {
      picked.add(items.get((int) ((long) i * n / max)));
    }
    return picked;
  }
}
