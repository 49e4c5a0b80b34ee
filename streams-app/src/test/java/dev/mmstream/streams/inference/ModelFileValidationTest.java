package dev.mmstream.streams.inference;

import static dev.mmstream.streams.inference.Fixtures.CPU;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileValidationTest {
  @Test
  void aModelWithoutAMetadataKeyIsRefusedNamingTheKey() {
    Path file = Fixtures.model("bad/missing-thresholds.onnx");
    assertThatThrownBy(() -> OnnxFusionModel.load(file, CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("metadata lacks [thresholds]");
  }

  @Test
  void aModelWithAnotherInputNameIsRefusedNamingIt() {
    Path file = Fixtures.model("bad/wrong-input-name.onnx");
    assertThatThrownBy(() -> OnnxFusionModel.load(file, CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("missing [text], unexpected [tokens]");
  }

  @Test
  void aFileThatIsNotOnnxIsRefused(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("model.onnx"), "not a model".getBytes());
    assertThatThrownBy(() -> OnnxFusionModel.load(file, CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("ONNX Runtime cannot load it");
  }

  @Test
  void aMissingFileIsRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> OnnxFusionModel.load(dir.resolve("nope.onnx"), CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("nope.onnx cannot be used: it is not a readable file");
  }
}
