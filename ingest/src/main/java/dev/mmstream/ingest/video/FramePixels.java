package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.opencv_core.Mat;

/** Checks on frames handed to the video featurizers. */
final class FramePixels {
  private FramePixels() {}

  /** Throws unless {@code bgr} is a non-empty 8-bit 3-channel image (OpenCV's BGR layout). */
  static void requireBgr(Mat bgr, String what) {
    if (bgr == null || bgr.isNull() || bgr.empty()) {
      throw new IllegalArgumentException(what + " must be a non-empty BGR image, got an empty Mat");
    }
    if (bgr.type() != CV_8UC3) {
      throw new IllegalArgumentException(what + " must be 8-bit BGR (CV_8UC3), got OpenCV type " + bgr.type()
          + " with " + bgr.channels() + " channels: decode to BGR24 (FFmpegFrameGrabber's default)");
    }
  }
}
