package dev.mmstream.ingest.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class FramePyramidTest {
  @Test
  void halvesDownToTheFirstCopyWithinTheAnalysisSide() {
    try (var pyramid = new FramePyramid(); Mat frame = new Mat(360, 640, CV_8UC3, Scalar.all(50))) {
      pyramid.build(frame);

      assertThat(pyramid.levels()).isEqualTo(3);
      assertThat(size(pyramid.level(1))).isEqualTo("320x180");
      assertThat(size(pyramid.analysis())).isEqualTo("160x90");
      assertThat(size(pyramid.atLeast(128, 72))).isEqualTo("160x90");
      assertThat(size(pyramid.atLeast(256, 144))).isEqualTo("320x180");
      assertThat(pyramid.atLeast(1000, 10)).isSameAs(frame);
    }
  }

  @Test
  void eachLevelAveragesTwoByTwoPixels() {
    try (var pyramid = new FramePyramid(); Mat frame = new Mat(360, 640, CV_8UC3, Scalar.all(0))) {
      try (UByteIndexer px = frame.createIndexer()) {
        px.put(10, 20, 0, 200); // one bright blue pixel of the block (10..11, 20..21)
        px.put(11, 21, 0, 100);
      }
      pyramid.build(frame);
      try (UByteIndexer half = pyramid.level(1).createIndexer()) {
        assertThat(half.get(5, 10, 0)).isEqualTo(75); // (200 + 100 + 0 + 0) / 4
        assertThat(half.get(5, 10, 1)).isZero();
      }
    }
  }

  @Test
  void oddSizesStillCoverTheWholeFrame() {
    try (var pyramid = new FramePyramid(); Mat frame = new Mat(240, 426, CV_8UC3, Scalar.all(90))) {
      pyramid.build(frame);

      assertThat(size(pyramid.analysis())).isEqualTo("213x120");
      try (UByteIndexer px = pyramid.analysis().createIndexer()) {
        assertThat(px.get(119, 212, 2)).isEqualTo(90); // the last pixel is an average of real pixels, not padding
      }
    }
  }

  @Test
  void smallFramesAreTheirOwnAnalysisCopy() {
    try (var pyramid = new FramePyramid(); Mat frame = new Mat(120, 160, CV_8UC3, Scalar.all(0))) {
      pyramid.build(frame);

      assertThat(pyramid.levels()).isEqualTo(1);
      assertThat(pyramid.analysis()).isSameAs(frame);
    }
  }

  @Test
  void refusesToBeReadBeforeItIsBuilt() {
    try (var pyramid = new FramePyramid()) {
      assertThatThrownBy(pyramid::analysis).isInstanceOf(IllegalStateException.class).hasMessageContaining("build()");
    }
  }

  private static String size(Mat m) {
    return m.cols() + "x" + m.rows();
  }
}
