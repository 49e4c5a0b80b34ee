package dev.mmstream.ingest.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import dev.mmstream.schema.v1.Scene;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class SceneDescriptorTest {
  private static final Scalar BLACK = new Scalar(0, 0, 0, 0);
  private static final Scalar WHITE = new Scalar(255, 255, 255, 0);
  private static final Scalar RED = new Scalar(0, 0, 255, 0);   // BGR
  private static final Scalar BLUE = new Scalar(255, 0, 0, 0);
  private static final Scalar GREEN = new Scalar(0, 255, 0, 0);

  @Test
  void blackFrameHasZeroBrightnessContrastAndColourfulness() {
    try (var scene = new SceneDescriptor(0.5f); Mat black = flat(BLACK)) {
      Scene s = scene.describe(black);
      assertThat(s.getBrightness()).isZero();
      assertThat(s.getContrast()).isZero();
      assertThat(s.getColourfulness()).isZero();
      assertThat(s.getMotion()).isZero();
      assertThat(s.getShotCut()).isFalse();
    }
  }

  @Test
  void whiteFrameHasFullBrightness() {
    try (var scene = new SceneDescriptor(0.5f); Mat white = flat(WHITE)) {
      assertThat(scene.describe(white).getBrightness()).isCloseTo(1f, within(1e-6f));
    }
  }

  @Test
  void halfBlackHalfWhiteHasHalfBrightnessAndFullContrast() {
    try (var scene = new SceneDescriptor(0.5f); Mat split = flat(BLACK)) {
      rectangle(split, new Point(320, 0), new Point(639, 359), WHITE, -1, 8, 0);
      Scene s = scene.describe(split);
      assertThat(s.getBrightness()).isCloseTo(0.5f, within(0.01f));
      assertThat(s.getContrast()).isCloseTo(0.5f, within(0.01f));
    }
  }

  @Test
  void histogramGroupsEachSumToOneAndPlaceHue() {
    try (var scene = new SceneDescriptor(0.5f); Mat blue = flat(BLUE)) {
      List<Float> h = scene.describe(blue).getHistogram();
      assertThat(h).hasSize(HsvHistogram.SIZE);
      assertThat(sum(h, 0, 12)).isCloseTo(1f, within(1e-5f));
      assertThat(sum(h, 12, 4)).isCloseTo(1f, within(1e-5f));
      assertThat(sum(h, 16, 4)).isCloseTo(1f, within(1e-5f));
      // Blue is hue 240 degrees = OpenCV 120 -> bin 8 of 12; saturation and value in their top bins.
      assertThat(h.get(8)).isGreaterThan(0.9f);
      assertThat(h.get(15)).isEqualTo(1f);
      assertThat(h.get(19)).isEqualTo(1f);
    }
  }

  @Test
  void cutBetweenTwoDifferentColourFramesSetsShotCut() {
    try (var scene = new SceneDescriptor(0.5f); Mat red = flat(RED); Mat blue = flat(BLUE)) {
      assertThat(scene.describe(red).getShotCut()).isFalse();
      assertThat(scene.describe(red).getShotCut()).isFalse();
      Scene afterCut = scene.describe(blue);
      assertThat(afterCut.getShotCut()).isTrue();
      assertThat(afterCut.getMotion()).isGreaterThan(0.1f);
      assertThat(scene.describe(blue).getShotCut()).isFalse();
    }
  }

  @Test
  void blackToWhiteIsACutToo() {
    try (var scene = new SceneDescriptor(0.5f); Mat black = flat(BLACK); Mat white = flat(WHITE)) {
      scene.describe(black);
      assertThat(scene.describe(white).getShotCut()).isTrue();
    }
  }

  @Test
  void motionIsZeroOnIdenticalFramesAndGrowsWithMovement() {
    try (var scene = new SceneDescriptor(0.5f); Mat a = squareAt(100); Mat same = squareAt(100); Mat moved = squareAt(300)) {
      scene.describe(a);
      Scene still = scene.describe(same);
      Scene moving = scene.describe(moved);

      assertThat(still.getMotion()).isZero();
      assertThat(still.getShotCut()).isFalse();
      assertThat(moving.getMotion()).isGreaterThan(0.05f);
      assertThat(moving.getShotCut()).as("same colours, moved: not a cut").isFalse();
    }
  }

  @Test
  void greyHasNoColourfulnessRedGreenHasMuch() {
    try (var scene = new SceneDescriptor(0.5f); Mat grey = flat(new Scalar(128, 128, 128, 0)); Mat redGreen = flat(RED)) {
      rectangle(redGreen, new Point(320, 0), new Point(639, 359), GREEN, -1, 8, 0);
      assertThat(scene.describe(grey).getColourfulness()).isZero();
      // rg is +1 or -1 (sd 1), yb is 0.5 everywhere: sqrt(1) + 0.3 * 0.5
      assertThat(scene.describe(redGreen).getColourfulness()).isCloseTo(1.15f, within(0.01f));
    }
  }

  @Test
  void rejectsAThresholdOutsideZeroToOne() {
    assertThatThrownBy(() -> new SceneDescriptor(1.5f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold");
  }

  private static Mat flat(Scalar bgr) {
    return new Mat(360, 640, CV_8UC3, bgr);
  }

  private static Mat squareAt(int x) {
    Mat m = flat(new Scalar(40, 40, 40, 0));
    rectangle(m, new Point(x, 100), new Point(x + 150, 250), new Scalar(200, 180, 160, 0), -1, 8, 0);
    return m;
  }

  private static float sum(List<Float> values, int from, int n) {
    float s = 0;
    for (int i = from; i < from + n; i++) {
      s += values.get(i);
    }
    return s;
  }
}
