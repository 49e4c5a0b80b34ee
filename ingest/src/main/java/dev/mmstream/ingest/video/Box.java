package dev.mmstream.ingest.video;

/** Axis-aligned box; {@code x, y} is the top-left corner. Units are set by the owner (fractions or pixels). */
public record Box(float x, float y, float width, float height) {

  public Box {
    if (!(width >= 0 && height >= 0)) {
      throw new IllegalArgumentException("box size must be >= 0, got " + width + "x" + height);
    }
  }

  static Box centred(float cx, float cy, float width, float height) {
    return new Box(cx - width / 2, cy - height / 2, width, height);
  }

  public float centreX() {
    return x + width / 2;
  }

  public float centreY() {
    return y + height / 2;
  }

  public float area() {
    return width * height;
  }

  public boolean contains(float px, float py) {
    return px >= x && px <= x + width && py >= y && py <= y + height;
  }

  /** Intersection over union; 0 when either box is empty. */
  public float iou(Box o) {
    float iw = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
    float ih = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
    float inter = iw * ih;
    float union = area() + o.area() - inter;
    return union > 0 ? inter / union : 0;
  }

  /** This box clipped to the unit square (for boxes in frame fractions). */
  public Box clipToUnit() {
    float x0 = clamp(x);
    float y0 = clamp(y);
    return new Box(x0, y0, clamp(x + width) - x0, clamp(y + height) - y0);
  }

  private static float clamp(float v) {
    return Math.min(1f, Math.max(0f, v));
  }
}
