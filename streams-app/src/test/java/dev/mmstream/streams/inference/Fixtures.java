package dev.mmstream.streams.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.ModelWindow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The committed model fixtures (src/test/resources/models, written by make_fixtures.py there) and
 * windows built for them.
 */
final class Fixtures {
  static final String EMOTION_V1 = "emotion-v1.onnx";
  static final String EMOTION_V2 = "emotion-v2.onnx";
  static final String GENRE_V1 = "genre-v1.onnx";
  static final String V1 = "20260101000000-fixture000001";
  static final String V2 = "20260102000000-fixture000002";
  static final InferenceSettings CPU = new InferenceSettings(Device.CPU, 1, 8);

  private Fixtures() {}

  static Path model(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/models/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource models/" + name + " is missing", e);
    }
  }

  static Path copy(String name, Path dir, String as) {
    try {
      return Files.copy(model(name), dir.resolve(as), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The export's onnx_fixture.json: batch 3 inputs (flat, padded) and PyTorch's outputs. */
  static JsonNode exportFixture() {
    try {
      return new ObjectMapper().readTree(model("onnx_fixture.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Row {@code b} of the export fixture as a window holding only its real (mask true) steps. */
  static ModelWindow fixtureWindow(JsonNode fixture, int b, ModelContract model) {
    Map<String, Matrix> matrices = new HashMap<>();
    for (String m : ModelContract.MODALITIES) {
      JsonNode x = fixture.get("inputs").get(m);
      JsonNode mask = fixture.get("inputs").get(m + "_mask");
      int steps = x.get("shape").get(1).asInt();
      int dim = x.get("shape").get(2).asInt();
      int real = 0;
      while (real < steps && mask.get("data").get(b * steps + real).asBoolean()) {
        real++;
      }
      List<Float> values = new ArrayList<>(real * dim);
      for (int i = 0; i < real * dim; i++) {
        values.add((float) x.get("data").get(b * steps * dim + i).asDouble());
      }
      matrices.put(m, new Matrix(real, dim, values));
    }
    return window(model, matrices.get("text"), matrices.get("audio"), matrices.get("video"));
  }

  /** A window of N(0,1) features with the given real steps per modality (0 = absent). */
  static ModelWindow randomWindow(ModelContract model, Random rnd, int text, int audio, int video) {
    return window(model, random(rnd, text, model.inputDims().get("text")),
        random(rnd, audio, model.inputDims().get("audio")), random(rnd, video, model.inputDims().get("video")));
  }

  static Matrix random(Random rnd, int rows, int cols) {
    List<Float> values = new ArrayList<>(rows * cols);
    for (int i = 0; i < rows * cols; i++) {
      values.add((float) rnd.nextGaussian());
    }
    return new Matrix(rows, cols, values);
  }

  /** Windows as serving scores them. */
  static List<AssembledWindow> assembled(List<ModelWindow> windows) {
    return windows.stream().map(AssembledWindow::of).toList();
  }

  static ModelWindow window(ModelContract model, Matrix text, Matrix audio, Matrix video) {
    return ModelWindow.newBuilder()
        .setStreamId("s1")
        .setTask(model.task())
        .setWindowStartMs(0)
        .setWindowEndMs(4000)
        .setText(text)
        .setAudio(audio)
        .setVideo(video)
        .setSpecIds(model.specIds())
        .build();
  }
}
