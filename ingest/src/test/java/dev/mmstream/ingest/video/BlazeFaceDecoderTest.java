package dev.mmstream.ingest.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlazeFaceDecoderTest {
  private static final int SIZE = 128;
  private static final float FAR_BELOW = -20f;

  private final BlazeFaceDecoder decoder = new BlazeFaceDecoder(SIZE);

  @Test
  void decodesOffsetsRelativeToTheAnchorCellCentre() {
    float[][] layer1 = emptyLayer(16, 2);
    // Cell (x=3, y=5), second anchor: centre (3.5/16, 5.5/16), shifted by (+8, -4) input pixels.
    int anchor = (5 * 16 + 3) * 2 + 1;
    layer1[0][anchor] = 5f;
    setRegressors(layer1[1], anchor, 8, -4, 32, 16);
    var faces = decoder.decode(layers(layer1, emptyLayer(8, 6)), 0.5f);

    assertThat(faces).singleElement().satisfies(f -> {
      assertThat(f.score()).isCloseTo((float) (1 / (1 + Math.exp(-5))), within(1e-6f));
      assertThat(f.box().centreX()).isCloseTo(3.5f / 16 + 8f / SIZE, within(1e-6f));
      assertThat(f.box().centreY()).isCloseTo(5.5f / 16 - 4f / SIZE, within(1e-6f));
      assertThat(f.box().width()).isCloseTo(32f / SIZE, within(1e-6f));
      assertThat(f.box().height()).isCloseTo(16f / SIZE, within(1e-6f));
      assertThat(f.keypoints()).hasSize(6);
    });
  }

  @Test
  void blendsOverlappingDetectionsWeightedByScore() {
    float[][] layer2 = emptyLayer(8, 6);
    // Two anchors of the same 8x8 cell: same box size, centres 4 px apart, scores sigmoid(3) and sigmoid(1).
    layer2[0][0] = 3f;
    layer2[0][1] = 1f;
    setRegressors(layer2[1], 0, 0, 0, 40, 40);
    setRegressors(layer2[1], 1, 4, 0, 40, 40);
    var faces = decoder.decode(layers(emptyLayer(16, 2), layer2), 0.5f);

    float s1 = (float) (1 / (1 + Math.exp(-3)));
    float s2 = (float) (1 / (1 + Math.exp(-1)));
    float expectedX = 0.5f / 8 + (s2 * 4f / SIZE) / (s1 + s2);
    assertThat(faces).singleElement().satisfies(f -> {
      assertThat(f.score()).isEqualTo(s1);
      assertThat(f.box().centreX()).isCloseTo(expectedX, within(1e-6f));
    });
  }

  @Test
  void keepsSeparateFacesAndDropsLowScores() {
    float[][] layer2 = emptyLayer(8, 6);
    layer2[0][0] = 2f;                  // cell (0,0)
    layer2[0][6 * (8 * 7 + 7)] = 4f;    // cell (7,7), far away
    layer2[0][6 * (8 * 3 + 3)] = -1f;   // sigmoid 0.27: below the threshold
    for (int a : new int[] {0, 6 * (8 * 7 + 7), 6 * (8 * 3 + 3)}) {
      setRegressors(layer2[1], a, 0, 0, 20, 20);
    }
    var faces = decoder.decode(layers(emptyLayer(16, 2), layer2), 0.5f);

    assertThat(faces).hasSize(2);
    assertThat(faces.get(0).score()).isGreaterThan(faces.get(1).score());
    assertThat(faces.get(0).box().centreX()).isCloseTo(7.5f / 8, within(1e-6f));
  }

  @Test
  void ignoresNanScoresAndBoxesWithoutSize() {
    float[][] layer2 = emptyLayer(8, 6);
    layer2[0][0] = Float.NaN;
    setRegressors(layer2[1], 0, 0, 0, 20, 20);
    layer2[0][6] = 5f;
    setRegressors(layer2[1], 6, 0, 0, -3, 20);
    assertThat(decoder.decode(layers(emptyLayer(16, 2), layer2), 0.5f)).isEmpty();
  }

  @Test
  void rejectsOutputsOfTheWrongSize() {
    assertThatThrownBy(() -> new BlazeFaceDecoder.Layer(16, 2, new float[511], new float[512 * 16]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects 512 scores");
  }

  @Test
  void letterboxMapsSquareCoordinatesBackToTheFrame() {
    Letterbox box = Letterbox.fit(640, 360, 256);
    assertThat(box).isEqualTo(new Letterbox(256, 256, 144, 0, 56));
    assertThat(box.frameY(56f / 256)).isZero();
    assertThat(box.frameY(200f / 256)).isCloseTo(1f, within(1e-6f));
    assertThat(box.frameBox(new Box(0.25f, 0.5f, 0.5f, 0.25f)))
        .isEqualTo(new Box(0.25f, (128f - 56f) / 144f, 0.5f, 64f / 144f));
  }

  private static List<BlazeFaceDecoder.Layer> layers(float[][] first, float[][] second) {
    return List.of(new BlazeFaceDecoder.Layer(16, 2, first[0], first[1]), new BlazeFaceDecoder.Layer(8, 6, second[0], second[1]));
  }

  private static float[][] emptyLayer(int cells, int anchorsPerCell) {
    int anchors = cells * cells * anchorsPerCell;
    float[] logits = new float[anchors];
    java.util.Arrays.fill(logits, FAR_BELOW);
    return new float[][] {logits, new float[anchors * 16]};
  }

  private static void setRegressors(float[] regressors, int anchor, float dx, float dy, float w, float h) {
    int o = anchor * 16;
    regressors[o] = dx;
    regressors[o + 1] = dy;
    regressors[o + 2] = w;
    regressors[o + 3] = h;
  }
}
