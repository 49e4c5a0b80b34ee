package dev.mmstream.ingest.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Java + ONNX Runtime against face-api's own JavaScript (fixture made by training's make_java_fixtures). */
class FaceExpressionNetTest {
  private static final float PROBS_TOLERANCE = 1e-5f;
  private static final float EMBEDDING_TOLERANCE = 1e-4f;
  private static final int SIZE = FaceExpressionNet.INPUT_SIZE;

  private static FaceModels models;
  private static FaceExpressionNet net;

  @BeforeAll
  static void open() {
    models = FaceModels.load(TestModels.dir(), BlazeFaceVariant.FRONT_128, 1);
    net = new FaceExpressionNet(models);
  }

  @AfterAll
  static void close() {
    net.close();
    models.close();
  }

  static Stream<JsonNode> crops() {
    return StreamSupport.stream(TestModels.reference().get("crops").spliterator(), false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crops")
  void matchesFaceApiOnTheSameCrop(JsonNode crop) {
    try (Mat face = referenceCrop(crop)) {
      FaceExpression out = net.describe(face);

      float[] probs = out.probs();
      float[] embedding = out.embedding();
      for (int i = 0; i < probs.length; i++) {
        assertThat(probs[i]).as("%s prob %s", crop.get("image").asText(), FaceExpression.LABELS[i])
            .isCloseTo(crop.get("probs").get(i).floatValue(), within(PROBS_TOLERANCE));
      }
      for (int i = 0; i < embedding.length; i++) {
        assertThat(embedding[i]).as("embedding[%d]", i)
            .isCloseTo(crop.get("embedding").get(i).floatValue(), within(EMBEDDING_TOLERANCE));
      }
    }
  }

  @Test
  void resizesCropsOfAnySizeAndReturnsADistribution() {
    JsonNode first = crops().findFirst().orElseThrow();
    try (Mat photo = TestModels.photo(first.get("image").asText());
         Rect region = new Rect(first.get("x").asInt(), first.get("y").asInt(), 224, 224);
         Mat big = new Mat(photo, region)) {
      FaceExpression out = net.describe(big);
      float sum = 0;
      for (float p : out.probs()) {
        sum += p;
      }
      assertThat(sum).isCloseTo(1f, within(1e-5f));
      // face-api calls this face happy; a wrong channel order or scale would not.
      assertThat(argmax(out.probs())).isEqualTo(argmax(floats(first.get("probs"))));
    }
  }

  @Test
  void rejectsGreyImages() {
    try (Mat grey = new Mat(SIZE, SIZE, CV_8UC1)) {
      assertThatThrownBy(() -> net.describe(grey)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CV_8UC3");
    }
  }

  @Test
  void missingModelNamesThePathAndSetup(@TempDir Path models) throws IOException {
    Path detector = BlazeFaceVariant.FRONT_128.modelFile(models);
    Files.createDirectories(detector.getParent());
    Files.copy(BlazeFaceVariant.FRONT_128.modelFile(TestModels.dir()), detector); // only the expression net is missing

    assertThatThrownBy(() -> FaceModels.load(models, BlazeFaceVariant.FRONT_128, 1))
        .isInstanceOf(MissingModelException.class)
        .hasMessageContaining("face_expression.onnx")
        .hasMessageContaining("run ./mmstream setup");
  }

  /** Rebuilds the fixture's crop: integer box, factor x factor block mean rounded half up, BGR. */
  static Mat referenceCrop(JsonNode crop) {
    int k = crop.get("factor").asInt();
    int x0 = crop.get("x").asInt();
    int y0 = crop.get("y").asInt();
    byte[] rgb = new byte[SIZE * SIZE * 3];
    try (Mat photo = TestModels.photo(crop.get("image").asText()); UByteIndexer px = photo.createIndexer()) {
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          for (int c = 0; c < 3; c++) {
            int sum = 0;
            for (int dy = 0; dy < k; dy++) {
              for (int dx = 0; dx < k; dx++) {
                sum += px.get(y0 + y * k + dy, x0 + x * k + dx, 2 - c); // BGR -> RGB
              }
            }
            rgb[(y * SIZE + x) * 3 + c] = (byte) ((sum + k * k / 2) / (k * k));
          }
        }
      }
    }
    CRC32 crc = new CRC32();
    crc.update(rgb);
    assertThat(crc.getValue()).as("crop pixels of %s differ from the fixture's (JPEG decoders disagree?)",
        crop.get("image").asText()).isEqualTo(crop.get("crc32").asLong());
    Mat bgr = new Mat(SIZE, SIZE, CV_8UC3);
    ByteBuffer out = bgr.createBuffer();
    for (int i = 0; i < SIZE * SIZE; i++) {
      out.put(rgb[3 * i + 2]).put(rgb[3 * i + 1]).put(rgb[3 * i]);
    }
    return bgr;
  }

  private static float[] floats(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).floatValue();
    }
    return v;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
