package dev.mmstream.ingest.video;

/**
 * The {@code h12s4v4} colour histogram: 12 hue bins (30 degrees each), 4 saturation and 4 value bins,
 * each group summing to 1 (20 floats, hue first). A pixel votes for its hue with weight = its
 * saturation, and 5% of the pixel count is spread evenly over the hue bins: hue is noise on greys, so a
 * colourless frame gets a flat hue group instead of a random one, and a colourful one is barely affected.
 */
final class HsvHistogram {
  static final String SPEC = "h12s4v4";
  static final int HUE_BINS = 12;
  static final int SAT_BINS = 4;
  static final int VAL_BINS = 4;
  static final int SIZE = HUE_BINS + SAT_BINS + VAL_BINS;
  private static final float HUE_PSEUDO_COUNT = 0.05f;
  private static final int OPENCV_HUE_RANGE = 180; // 8-bit HSV in OpenCV: H 0..179, S and V 0..255

  private HsvHistogram() {}

  /** @param hsv interleaved 8-bit H, S, V bytes of {@code pixels} pixels, as OpenCV's COLOR_BGR2HSV makes them */
  static float[] of(byte[] hsv, int pixels) {
    float[] hist = new float[SIZE];
    float hueWeight = 0;
    for (int i = 0, o = 0; i < pixels; i++, o += 3) {
      int h = hsv[o] & 0xFF;
      int s = hsv[o + 1] & 0xFF;
      int v = hsv[o + 2] & 0xFF;
      float w = s / 255f;
      hist[Math.min(HUE_BINS - 1, h * HUE_BINS / OPENCV_HUE_RANGE)] += w;
      hueWeight += w;
      hist[HUE_BINS + s * SAT_BINS / 256]++;
      hist[HUE_BINS + SAT_BINS + v * VAL_BINS / 256]++;
    }
    float pseudo = HUE_PSEUDO_COUNT * pixels;
    for (int b = 0; b < HUE_BINS; b++) {
      hist[b] = (hist[b] + pseudo / HUE_BINS) / (hueWeight + pseudo);
    }
    for (int b = HUE_BINS; b < SIZE; b++) {
      hist[b] /= pixels;
    }
    return hist;
  }

  /** Largest total-variation distance (half L1, 0..1) over the three groups. */
  static float distance(float[] a, float[] b) {
    return Math.max(groupDistance(a, b, 0, HUE_BINS),
        Math.max(groupDistance(a, b, HUE_BINS, SAT_BINS), groupDistance(a, b, HUE_BINS + SAT_BINS, VAL_BINS)));
  }

  private static float groupDistance(float[] a, float[] b, int from, int bins) {
    float sum = 0;
    for (int i = from; i < from + bins; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / 2;
  }
}
