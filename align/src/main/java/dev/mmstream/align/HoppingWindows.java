package dev.mmstream.align;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Hopping windows over a clip on the media clock: starts at 0, advance, 2 x advance, ... while the
 * start is before the clip's end; the last windows may reach past the end. The streams app's event-
 * time windows coincide with these because ingest aligns a stream's origin to a whole second.
 */
public record HoppingWindows(Duration size, Duration advance) {
  public HoppingWindows {
    if (size.isNegative() || size.isZero() || advance.isNegative() || advance.isZero()) {
      throw new IllegalArgumentException("window size and advance must be > 0");
    }
    if (advance.compareTo(size) > 0) {
      throw new IllegalArgumentException("advance " + advance + " must not exceed size " + size);
    }
  }

  /** The default emotion windows: 4 s every 1 s. */
  public static HoppingWindows emotion() {
    return new HoppingWindows(Duration.ofSeconds(4), Duration.ofSeconds(1));
  }

  public List<WindowBounds> over(long mediaEndMs) {
    var windows = new ArrayList<WindowBounds>();
    for (long start = 0; start < mediaEndMs; start += advance.toMillis()) {
      windows.add(new WindowBounds(start, start + size.toMillis()));
    }
    return windows;
  }
}
