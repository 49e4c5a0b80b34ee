package dev.mmstream.streams.inference;

import static dev.mmstream.streams.inference.Fixtures.CPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmstream.align.HoppingWindows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  void anEmotionModelIsRefusedByAnAppThatCutsOtherWindowsNamingBoth() {
    Path file = Fixtures.model(Fixtures.EMOTION_V1);
    var twoSecond = new InferenceSettings(Device.CPU, 1, 8, new HoppingWindows(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThatThrownBy(() -> OnnxFusionModel.load(file, twoSecond))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("trained on windows of 4000 ms every 1000 ms but this app cuts windows of 2000 ms every 1000 ms")
        .hasMessageContaining("--window-ms 4000 --advance-ms 1000");
    var defaults = new InferenceSettings(Device.CPU, 1, 8, HoppingWindows.emotion());
    try (var model = OnnxFusionModel.load(file, defaults)) {
      assertThat(model.contract().trainedWindows()).isEqualTo(HoppingWindows.emotion());
    }
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
