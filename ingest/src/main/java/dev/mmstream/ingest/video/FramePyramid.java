package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A frame and its copies halved by 2x2 area averaging, down to the first whose longer side is at most
 * {@value #ANALYSIS_SIDE} pixels, shared by the steps that look at a frame in small: the scene descriptor
 * reads the smallest copy, BlazeFace starts from the smallest copy at least as large as its input.
 *
 * <p>Why halving: OpenCV's area resize is vectorised for an exact factor of 2 only; 640x360 to 256x144
 * directly costs about nine times 640x360 to 320x180 and on to 160x90. A level of odd size is
 * resized to half its size rounded down (slower, still whole-frame area averages), so every level
 * covers the whole frame. Level 0 is the caller's frame, never owned or kept after the next
 * {@link #build}; the smaller levels are owned and reused from frame to frame. Not thread-safe.
 */
final class FramePyramid implements AutoCloseable {
  static final int ANALYSIS_SIDE = 256;

  private final List<Mat> halves = new ArrayList<>();
  private Mat frame;
  private int levels;

  /** Rebuilds the copies from {@code bgr}, which must stay unchanged until the next call. */
  FramePyramid build(Mat bgr) {
    FramePixels.requireBgr(bgr, "video frame");
    frame = bgr;
    levels = 1;
    Mat current = bgr;
    while (Math.max(current.cols(), current.rows()) > ANALYSIS_SIDE && Math.min(current.cols(), current.rows()) >= 2) {
      if (halves.size() < levels) {
        halves.add(new Mat());
      }
      Mat half = halves.get(levels - 1);
      resize(current, half, new Size(current.cols() / 2, current.rows() / 2), 0, 0, INTER_AREA);
      current = half;
      levels++;
    }
    return this;
  }

  /** The frame itself. */
  Mat frame() {
    return level(0);
  }

  /** The smallest copy: longer side at most {@value #ANALYSIS_SIDE} (or the frame, when already that small). */
  Mat analysis() {
    return level(levels - 1);
  }

  /** The smallest copy with at least {@code width x height} pixels: the cheapest to shrink to that size. */
  Mat atLeast(int width, int height) {
    for (int i = levels - 1; i > 0; i--) {
      if (level(i).cols() >= width && level(i).rows() >= height) {
        return level(i);
      }
    }
    return frame();
  }

  int levels() {
    return levels;
  }

  Mat level(int i) {
    if (frame == null) {
      throw new IllegalStateException("build() the pyramid from a frame first");
    }
    if (i < 0 || i >= levels) {
      throw new IndexOutOfBoundsException("level " + i + " of " + levels);
    }
    return i == 0 ? frame : halves.get(i - 1);
  }

  @Override
  public void close() {
    halves.forEach(Mat::close);
    frame = null;
  }
}
