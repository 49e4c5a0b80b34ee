package dev.mmstream.ingest.source;

/**
 * Picks decoded video frames by presentation time at a fixed rate: the first frame at or after each
 * tick k / fps. Depends only on timestamps, so a file paced live or read as fast as possible gives
 * the same frames, whatever the source frame rate.
 */
public final class FrameSampler {
  private final double fps;
  private long nextTick;

  public FrameSampler(double fps) {
    if (!(fps > 0 && fps <= 60)) {
      throw new IllegalArgumentException("--fps " + fps + " is out of range: use a rate in (0, 60]");
    }
    this.fps = fps;
  }

  /** @return true when the frame at {@code ptsMs} is the sample for the next due tick */
  public boolean accept(long ptsMs) {
    if (ptsMs < tickTimeMs(nextTick)) {
      return false;
    }
    nextTick = (long) Math.floor(ptsMs * fps / 1000.0) + 1;
    return true;
  }

  private double tickTimeMs(long tick) {
    return tick * 1000.0 / fps;
  }
}
