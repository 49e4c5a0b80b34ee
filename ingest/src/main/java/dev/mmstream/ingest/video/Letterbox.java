package dev.mmstream.ingest.video;

/**
 * Fits a {@code width x height} frame into a {@code size x size} square, keeping its aspect ratio and
 * centring it on black bars, and maps points from the square back to the frame.
 *
 * @param size side of the square, pixels
 * @param resizedWidth frame width inside the square, pixels
 * @param resizedHeight frame height inside the square, pixels
 * @param padX left bar width, pixels
 * @param padY top bar height, pixels
 */
record Letterbox(int size, int resizedWidth, int resizedHeight, int padX, int padY) {

  static Letterbox fit(int width, int height, int size) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("frame must not be empty, got " + width + "x" + height);
    }
    double scale = (double) size / Math.max(width, height);
    int rw = Math.max(1, (int) Math.round(width * scale));
    int rh = Math.max(1, (int) Math.round(height * scale));
    return new Letterbox(size, rw, rh, (size - rw) / 2, (size - rh) / 2);
  }

  /** Square fraction (0..1 of {@code size}) on the x axis to frame fraction. */
  float frameX(float squareX) {
    return (squareX * size - padX) / resizedWidth;
  }

  float frameY(float squareY) {
    return (squareY * size - padY) / resizedHeight;
  }

  /** A box in square fractions to a box in frame fractions. */
  Box frameBox(Box square) {
    return new Box(frameX(square.x()), frameY(square.y()),
        square.width() * size / resizedWidth, square.height() * size / resizedHeight);
  }
}
