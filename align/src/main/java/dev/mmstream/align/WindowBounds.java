package dev.mmstream.align;

/** A window on the media clock: [startMs, endMs) in milliseconds of presentation time. */
public record WindowBounds(long startMs, long endMs) {
  public WindowBounds {
    if (endMs <= startMs) {
      throw new IllegalArgumentException("window end " + endMs + " must be after its start " + startMs);
    }
  }

  public boolean contains(long timeMs) {
    return timeMs >= startMs && timeMs < endMs;
  }

  public long lengthMs() {
    return endMs - startMs;
  }
}
