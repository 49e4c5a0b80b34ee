package dev.mmstream.streams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmstream.align.HoppingWindows;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContractReaderTest {
  private static final Path FILE = Path.of("models/m.onnx");

  private static Map<String, String> metadata() {
    Map<String, String> m = new HashMap<>();
    m.put("task", "genre");
    m.put("labels", "[\"action\", \"comedy\"]");
    m.put("thresholds", "[0.25, 0.5]");
    m.put("spec_ids", "{\"text\": \"t@1\", \"audio\": \"a@1\", \"video\": \"v@1\", \"window\": \"w@1\"}");
    m.put("max_lengths", "{\"text\": 48, \"audio\": 40, \"video\": 20}");
    m.put("input_dims", "{\"text\": 384, \"audio\": 67, \"video\": 295}");
    m.put("gate_names", "[\"text\", \"audio\", \"video\"]");
    m.put("architecture", "baseline");
    m.put("model_name", "mmstream-genre-baseline");
    m.put("model_version", "20260101000000-abc");
    m.put("dataset_hash", "f00");
    m.put("modalities", "[\"text\", \"audio\", \"video\"]");
    return m;
  }

  @Test
  void readsTheExportMetadata() {
    ModelContract c = ContractReader.read(FILE, metadata());
    assertThat(c.task()).isEqualTo(Task.GENRE);
    assertThat(c.thresholds()).containsExactly(0.25f, 0.5f);
    assertThat(c.maxLengths()).containsEntry("video", 20);
    assertThat(c.specFor("window")).isEqualTo("w@1");
    assertThat(c.id()).isEqualTo("mmstream-genre-baseline@20260101000000-abc");
  }

  @Test
  void thresholdsPerModalitySetApplyToWindowsWithExactlyThoseModalities() {
    Map<String, String> m = metadata();
    m.put("thresholds_by_modalities", "{\"text\": [0.6, 0.7], \"text+audio+video\": [0.1, 0.2]}");
    ModelContract c = ContractReader.read(FILE, m);
    assertThat(c.thresholdsFor(List.of("text"))).containsExactly(0.6f, 0.7f);
    assertThat(c.thresholdsFor(List.of("text", "audio", "video"))).containsExactly(0.1f, 0.2f);
    assertThat(c.thresholdsFor(List.of("audio"))).as("no set of its own: the general ones").containsExactly(0.25f, 0.5f);
    assertThat(ContractReader.read(FILE, metadata()).thresholdsFor(List.of("text"))).containsExactly(0.25f, 0.5f);
  }

  @Test
  void readsTheWindowsTheModelWasTrainedOnAndAssumesTheOnlyOnesOfOlderExports() {
    Map<String, String> m = metadata();
    m.put("windowing", "{\"kind\": \"hopping\", \"size_ms\": 2000, \"advance_ms\": 500}");
    assertThat(ContractReader.read(FILE, m).trainedWindows())
        .isEqualTo(new HoppingWindows(Duration.ofSeconds(2), Duration.ofMillis(500)));
    assertThat(ContractReader.read(FILE, metadata()).trainedWindows()).isEqualTo(HoppingWindows.emotion());
    assertProblem(Map.of("windowing", "{\"kind\": \"hopping\", \"size_ms\": 2000}"),
        "windowing must give size_ms and advance_ms");
    assertProblem(Map.of("windowing", "{\"kind\": \"hopping\", \"size_ms\": 1000, \"advance_ms\": 2000}"),
        "must not exceed size");
  }

  @Test
  void namesEachProblem() {
    assertProblem(Map.of("thresholds_by_modalities", "{\"audio+text\": [0.1, 0.2]}"),
        "has the key 'audio+text'; keys name present modalities in the order text, audio, video");
    assertProblem(Map.of("thresholds_by_modalities", "{\"text\": [0.1]}"), "['text'] must be 2 thresholds in [0, 1]");
    assertProblem(Map.of("labels", "[\"a\", \"b\", \"c\"]"), "3 labels but 2 thresholds");
    assertProblem(Map.of("labels", "[\"a\", \"a\"]"), "labels must be distinct");
    assertProblem(Map.of("thresholds", "[0.5, 1.5]"), "thresholds must lie in [0, 1]");
    assertProblem(Map.of("task", "sentiment"), "task is 'sentiment', expected emotion or genre");
    assertProblem(Map.of("spec_ids", "{\"text\": \"t@1\", \"audio\": \"a@1\", \"video\": \"v@1\"}"),
        "spec_ids lacks [window]");
    assertProblem(Map.of("input_dims", "{\"text\": 384, \"audio\": 0, \"video\": 295}"),
        "input_dims needs a positive integer for [audio]");
    assertProblem(Map.of("max_lengths", "[48, 40, 20]"), "max_lengths is not the expected JSON");
    assertProblem(Map.of("model_version", " "), "model_version is empty");
  }

  @Test
  void listsEveryMissingKey() {
    Map<String, String> m = metadata();
    m.remove("spec_ids");
    m.remove("dataset_hash");
    assertThatThrownBy(() -> ContractReader.read(FILE, m))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model file models/m.onnx cannot be used: metadata lacks [spec_ids, dataset_hash]");
  }

  private static void assertProblem(Map<String, String> override, String expected) {
    Map<String, String> m = metadata();
    m.putAll(override);
    assertThatThrownBy(() -> ContractReader.read(FILE, m))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(FILE.toString())
        .hasMessageContaining(expected);
  }
}
