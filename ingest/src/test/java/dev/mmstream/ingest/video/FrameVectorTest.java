package dev.mmstream.ingest.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmstream.schema.v1.Face;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Scene;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameVectorTest {

  @Test
  void layoutHas295Floats() {
    assertThat(FrameVector.DIM).isEqualTo(295);
    assertThat(FrameVector.SHOT_CUT).isEqualTo(FrameVector.DIM - 1);
  }

  @Test
  void placesEachFieldAtItsOffset() {
    List<Float> expression = List.of(0.1f, 0.2f, 0.3f, 0.1f, 0.1f, 0.1f, 0.1f);
    List<Float> embedding = ramp(256, 1f);
    List<Float> histogram = ramp(20, 100f);
    Face face = Face.newBuilder().setScore(0.9f).setBox(List.of(0.1f, 0.2f, 0.3f, 0.4f))
        .setExpression(expression).setEmbedding(embedding).build();
    float[] v = FrameVector.of(frame(face, 3, scene(histogram, true)));

    assertThat(v[FrameVector.EXPRESSION + 2]).isEqualTo(0.3f);
    assertThat(v[FrameVector.EMBEDDING]).isEqualTo(1f);
    assertThat(v[FrameVector.EMBEDDING + 255]).isEqualTo(256f);
    assertThat(v[FrameVector.BOX + 3]).isEqualTo(0.4f);
    assertThat(v[FrameVector.SCORE]).isEqualTo(0.9f);
    assertThat(v[FrameVector.HAS_FACE]).isEqualTo(1f);
    assertThat(v[FrameVector.FACE_COUNT]).isEqualTo(0.3f);
    assertThat(v[FrameVector.HISTOGRAM]).isEqualTo(100f);
    assertThat(v[FrameVector.HISTOGRAM + 19]).isEqualTo(119f);
    assertThat(v[FrameVector.BRIGHTNESS]).isEqualTo(0.25f);
    assertThat(v[FrameVector.CONTRAST]).isEqualTo(0.5f);
    assertThat(v[FrameVector.COLOURFULNESS]).isEqualTo(0.75f);
    assertThat(v[FrameVector.MOTION]).isEqualTo(0.125f);
    assertThat(v[FrameVector.SHOT_CUT]).isEqualTo(1f);
  }

  @Test
  void frameWithoutFaceHasZeroFaceFieldsAndCappedCount() {
    float[] v = FrameVector.of(frame(null, 0, scene(ramp(20, 1f), false)));
    for (int i = 0; i <= FrameVector.HAS_FACE; i++) {
      assertThat(v[i]).as("index %d", i).isZero();
    }
    assertThat(FrameVector.of(frame(null, 25, scene(ramp(20, 1f), false)))[FrameVector.FACE_COUNT]).isEqualTo(1f);
  }

  @Test
  void rejectsAHistogramOfAnotherLayout() {
    FrameFeatures other = frame(null, 0, scene(ramp(32, 1f), false));
    assertThatThrownBy(() -> FrameVector.of(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("histogram").hasMessageContaining("expects 20");
  }

  private static FrameFeatures frame(Face face, int faces, Scene scene) {
    return FrameFeatures.newBuilder().setStreamId("s").setPtsMs(0).setFrameIndex(0)
        .setSpecId(VideoOptions.defaults().specId()).setWidth(640).setHeight(360)
        .setFaceCount(faces).setFace(face).setScene(scene).build();
  }

  private static Scene scene(List<Float> histogram, boolean cut) {
    return Scene.newBuilder().setHistogram(histogram).setBrightness(0.25f).setContrast(0.5f)
        .setColourfulness(0.75f).setMotion(0.125f).setShotCut(cut).build();
  }

  private static List<Float> ramp(int n, float start) {
    List<Float> values = new ArrayList<>(Collections.nCopies(n, 0f));
    for (int i = 0; i < n; i++) {
      values.set(i, start + i);
    }
    return values;
  }
}
