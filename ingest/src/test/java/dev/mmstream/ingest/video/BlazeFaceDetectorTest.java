package dev.mmstream.ingest.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BlazeFaceDetectorTest {
  private static FaceModels backModels;
  private static FaceModels frontModels;
  private static BlazeFaceDetector back;
  private static BlazeFaceDetector front;

  @BeforeAll
  static void open() {
    backModels = FaceModels.load(TestModels.dir(), BlazeFaceVariant.BACK_256, 1);
    frontModels = FaceModels.load(TestModels.dir(), BlazeFaceVariant.FRONT_128, 1);
    back = new BlazeFaceDetector(backModels, 0.6f);
    front = new BlazeFaceDetector(frontModels, 0.6f);
  }

  @AfterAll
  static void close() {
    back.close();
    front.close();
    backModels.close();
    frontModels.close();
  }

  /** Each reference crop was placed around a face of its photo: (photo, face centre x, y in pixels). */
  static Stream<Object[]> faces() {
    return StreamSupport.stream(TestModels.reference().get("crops").spliterator(), false)
        .map(c -> new Object[] {c.get("image").asText(), centre(c, "x"), centre(c, "y")});
  }

  private static int centre(JsonNode crop, String axis) {
    return crop.get(axis).asInt() + 56 * crop.get("factor").asInt();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faces")
  void findsTheFaceInEachRealPhoto(String image, int cx, int cy) {
    try (Mat photo = TestModels.photo(image)) {
      List<FaceDetection> faces = back.detect(photo);

      assertThat(faces).as("faces in %s", image).isNotEmpty()
          .anySatisfy(f -> assertThat(f.box().contains((float) cx / photo.cols(), (float) cy / photo.rows())).isTrue());
      assertThat(faces).allSatisfy(f -> {
        assertThat(f.score()).isBetween(0.6f, 1f);
        assertThat(f.box().width()).isBetween(0.02f, 0.5f);
      });
    }
  }

  @Test
  void mapsBoxesBackThroughTheLetterbox() {
    // The same photo inside a wide black frame must give the same face, in the new frame's fractions.
    try (Mat photo = TestModels.photo("sample1.jpg"); Mat wide = new Mat()) {
      int left = photo.cols() / 2;
      copyMakeBorder(photo, wide, 0, 0, left, photo.cols() / 4, BORDER_CONSTANT, Scalar.all(0));
      Box inPhoto = largest(back.detect(photo)).box();
      Box inWide = largest(back.detect(wide)).box();

      float xInPhotoPixels = inWide.centreX() * wide.cols() - left;
      assertThat(xInPhotoPixels / photo.cols()).isCloseTo(inPhoto.centreX(), within(0.01f));
      assertThat(inWide.centreY()).isCloseTo(inPhoto.centreY(), within(0.01f));
    }
  }

  @Test
  void frontModelFindsAFaceThatFillsTheFrame() {
    JsonNode crop = TestModels.reference().get("crops").get(0);
    int side = 112 * crop.get("factor").asInt();
    try (Mat photo = TestModels.photo(crop.get("image").asText());
         Rect around = new Rect(crop.get("x").asInt() - side / 2, crop.get("y").asInt() - side / 2, 2 * side, 2 * side);
         Mat closeUp = new Mat(photo, around)) {
      List<FaceDetection> faces = front.detect(closeUp);

      assertThat(faces).singleElement().satisfies(f -> assertThat(f.box().contains(0.5f, 0.5f)).isTrue());
    }
  }

  @Test
  void findsNothingInAFlatColourFrame() {
    try (Mat grey = new Mat(360, 640, CV_8UC3, new Scalar(90, 120, 140, 0))) {
      assertThat(back.detect(grey)).isEmpty();
      assertThat(front.detect(grey)).isEmpty();
    }
  }

  @Test
  void rejectsFramesThatAreNotBgr() {
    try (Mat empty = new Mat()) {
      assertThatThrownBy(() -> back.detect(empty)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("non-empty BGR");
    }
  }

  @Test
  void missingModelSaysToRunSetup() {
    assertThatThrownBy(() -> FaceModels.load(Path.of("no-such-models"), BlazeFaceVariant.BACK_256, 1))
        .isInstanceOf(MissingModelException.class)
        .hasMessageContaining("face_detection_back_256x256_barracuda.onnx")
        .hasMessageContaining("run ./mmstream setup");
  }

  private static FaceDetection largest(List<FaceDetection> faces) {
    return faces.stream().max(Comparator.comparingDouble(f -> f.box().area())).orElseThrow();
  }
}
