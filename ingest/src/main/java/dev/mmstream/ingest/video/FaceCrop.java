package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Cuts the square around a face that the expression network reads. BlazeFace's box is tight (brows to
 * chin); face-api was trained on looser detector boxes, so the square is enlarged by a margin. Parts
 * outside the frame are black, as face-api pads its inputs with zeros.
 */
final class FaceCrop {
  private FaceCrop() {}

  /**
   * The square from the smallest pyramid level on which it still spans at least {@code minSide} pixels,
   * so shrinking it to the network's input is at most a factor of 2 (bilinear then loses no detail) and
   * a large face in an HD frame is not cut and resized at full resolution.
   */
  static Mat square(FramePyramid pyramid, Box box, float margin, int minSide) {
    for (int i = pyramid.levels() - 1; i > 0; i--) {
      Mat level = pyramid.level(i);
      if (Math.max(box.width() * level.cols(), box.height() * level.rows()) * margin >= minSide) {
        return square(level, box, margin);
      }
    }
    return square(pyramid.frame(), box, margin);
  }

  /**
   * @param box face box in frame fractions
   * @param margin side of the square relative to the longer box side (e.g. 1.2)
   * @return a new BGR Mat owned by the caller, or null when the face lies wholly outside the frame
   */
  static Mat square(Mat bgr, Box box, float margin) {
    int w = bgr.cols();
    int h = bgr.rows();
    int side = Math.max(1, Math.round(Math.max(box.width() * w, box.height() * h) * margin));
    int x0 = Math.round(box.centreX() * w - side / 2f);
    int y0 = Math.round(box.centreY() * h - side / 2f);
    int ix0 = Math.max(0, x0);
    int iy0 = Math.max(0, y0);
    int ix1 = Math.min(w, x0 + side);
    int iy1 = Math.min(h, y0 + side);
    if (ix1 <= ix0 || iy1 <= iy0) {
      return null;
    }
    Mat out = new Mat();
    try (Rect inside = new Rect(ix0, iy0, ix1 - ix0, iy1 - iy0); Mat view = new Mat(bgr, inside)) {
      copyMakeBorder(view, out, iy0 - y0, y0 + side - iy1, ix0 - x0, x0 + side - ix1, BORDER_CONSTANT, Scalar.all(0));
    }
    return out;
  }
}
