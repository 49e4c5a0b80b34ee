package dev.mmstream.streams.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmstream.align.CatalogueInputs;
import dev.mmstream.align.HoppingWindows;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@link ModelContract} from the ONNX metadata_props the training export writes
 * (training/mmstream_training/train.py {@code onnx_metadata}): plain strings for task, architecture,
 * model_name, model_version and dataset_hash; JSON for the rest. Every problem names the key.
 */
final class ContractReader {
  static final List<String> REQUIRED_KEYS = List.of(
      "task", "labels", "thresholds", "spec_ids", "max_lengths", "input_dims", "gate_names",
      "architecture", "model_name", "model_version", "dataset_hash", "modalities");
  private static final List<String> SPEC_KEYS = List.of("text", "audio", "video", "window");
  private static final String BY_MODALITIES = "thresholds_by_modalities";
  private static final String WINDOWING = "windowing";
  private static final String CATALOGUE_DIMS = "catalogue_dims";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, String> meta;

  private ContractReader(Path file, Map<String, String> meta) {
    this.file = file;
    this.meta = meta;
  }

  static ModelContract read(Path file, Map<String, String> metadata) {
    return new ContractReader(file, metadata).contract();
  }

  private ModelContract contract() {
    List<String> missing = REQUIRED_KEYS.stream().filter(k -> !meta.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      throw fail("metadata lacks " + missing + " (has " + meta.keySet().stream().sorted().toList() + ")");
    }
    List<String> labels = json("labels", new TypeReference<List<String>>() {});
    List<Float> thresholds = json("thresholds", new TypeReference<List<Float>>() {});
    if (labels.isEmpty() || new HashSet<>(labels).size() != labels.size()) {
      throw fail("metadata labels must be distinct names, got " + labels);
    }
    if (thresholds.size() != labels.size()) {
      throw fail("metadata has " + labels.size() + " labels but " + thresholds.size() + " thresholds");
    }
    if (thresholds.stream().anyMatch(t -> t == null || !(t >= 0f && t <= 1f))) {
      throw fail("metadata thresholds must lie in [0, 1], got " + thresholds);
    }
    Map<String, String> specIds = json("spec_ids", new TypeReference<Map<String, String>>() {});
    List<String> specMissing = SPEC_KEYS.stream().filter(k -> !specIds.containsKey(k)).toList();
    if (!specMissing.isEmpty()) {
      throw fail("metadata spec_ids lacks " + specMissing + " (has " + specIds + ")");
    }
    List<String> gates = json("gate_names", new TypeReference<List<String>>() {});
    if (gates.isEmpty()) {
      throw fail("metadata gate_names is empty");
    }
    return new ModelContract(task(), text("model_name"), text("model_version"), text("architecture"),
        labels, thresholds, specIds, positive("max_lengths"), positive("input_dims"), gates,
        json("modalities", new TypeReference<List<String>>() {}), meta.get("dataset_hash"), file,
        thresholdsByModalities(labels.size()), windows(), catalogueDims(specIds));
  }

  /** Optional: the catalogue inputs a genre model takes, {"poster": 295, "metadata": 774}, each with a spec id. */
  private Map<String, Integer> catalogueDims(Map<String, String> specIds) {
    if (!meta.containsKey(CATALOGUE_DIMS)) {
      return Map.of();
    }
    Map<String, Integer> dims = json(CATALOGUE_DIMS, new TypeReference<Map<String, Integer>>() {});
    for (var e : dims.entrySet()) {
      if (!CatalogueInputs.NAMES.contains(e.getKey()) || e.getValue() == null || e.getValue() <= 0) {
        throw fail("metadata " + CATALOGUE_DIMS + " must give positive widths of " + CatalogueInputs.NAMES + ", got " + dims);
      }
      if (!specIds.containsKey(e.getKey())) {
        throw fail("metadata spec_ids lacks the catalogue input " + e.getKey() + " (has " + specIds.keySet() + ")");
      }
    }
    return dims;
  }

  /** Optional: how the training clips were cut, {"kind": "hopping", "size_ms": 4000, "advance_ms": 1000}. */
  private HoppingWindows windows() {
    if (!meta.containsKey(WINDOWING)) {
      return null;
    }
    Map<String, Object> w = json(WINDOWING, new TypeReference<Map<String, Object>>() {});
    if (!"hopping".equals(w.get("kind"))) {
      return null; // a genre model's one window per trailer
    }
    if (!(w.get("size_ms") instanceof Number size) || !(w.get("advance_ms") instanceof Number advance)) {
      throw fail("metadata windowing must give size_ms and advance_ms for hopping windows, got " + w);
    }
    try {
      return new HoppingWindows(Duration.ofMillis(size.longValue()), Duration.ofMillis(advance.longValue()));
    } catch (IllegalArgumentException e) {
      throw fail("metadata windowing " + w + ": " + e.getMessage());
    }
  }

  /** Optional: thresholds per set of present modalities, e.g. {"text": [...], "text+audio+video": [...]}. */
  private Map<String, List<Float>> thresholdsByModalities(int labels) {
    if (!meta.containsKey(BY_MODALITIES)) {
      return Map.of();
    }
    Map<String, List<Float>> byKey = json(BY_MODALITIES, new TypeReference<Map<String, List<Float>>>() {});
    for (var entry : byKey.entrySet()) {
      var parts = List.of(entry.getKey().split("\\+"));
      boolean ordered = !parts.isEmpty() && ModelContract.MODALITIES.containsAll(parts)
          && parts.equals(ModelContract.MODALITIES.stream().filter(parts::contains).toList());
      if (!ordered) {
        throw fail("metadata " + BY_MODALITIES + " has the key '" + entry.getKey()
            + "'; keys name present modalities in the order text, audio, video joined by '+'");
      }
      List<Float> values = entry.getValue();
      if (values.size() != labels || values.stream().anyMatch(t -> t == null || !(t >= 0f && t <= 1f))) {
        throw fail("metadata " + BY_MODALITIES + "['" + entry.getKey() + "'] must be " + labels
            + " thresholds in [0, 1], got " + values);
      }
    }
    return byKey;
  }

  private Task task() {
    String value = meta.get("task");
    for (Task t : Task.values()) {
      if (t != Task.UNKNOWN && t.name().equals(value.toUpperCase(Locale.ROOT))) {
        return t;
      }
    }
    throw fail("metadata task is '" + value + "', expected emotion or genre");
  }

  private String text(String key) {
    String value = meta.get(key).strip();
    if (value.isEmpty()) {
      throw fail("metadata " + key + " is empty");
    }
    return value;
  }

  private Map<String, Integer> positive(String key) {
    Map<String, Integer> values = json(key, new TypeReference<Map<String, Integer>>() {});
    List<String> bad = new ArrayList<>();
    for (String m : ModelContract.MODALITIES) {
      Integer v = values.get(m);
      if (v == null || v <= 0) {
        bad.add(m);
      }
    }
    if (!bad.isEmpty()) {
      throw fail("metadata " + key + " needs a positive integer for " + bad + ", got " + values);
    }
    return values;
  }

  private <T> T json(String key, TypeReference<T> type) {
    try {
      T value = JSON.readValue(meta.get(key), type);
      if (value == null) {
        throw fail("metadata " + key + " is null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw fail("metadata " + key + " is not the expected JSON (" + e.getOriginalMessage() + "): "
          + abbreviate(meta.get(key)));
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  private ModelLoadException fail(String problem) {
    return new ModelLoadException(file, problem);
  }
}
