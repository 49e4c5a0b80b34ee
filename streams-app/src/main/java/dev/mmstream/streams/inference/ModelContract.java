package dev.mmstream.streams.inference;

import dev.mmstream.schema.v1.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model promises, read from its ONNX metadata: the task, labels with decision thresholds, the
 * feature spec id of each modality it was trained on (keys text, audio, video, window), the maximum
 * steps and feature columns per modality, and the names of its GMU gate inputs in the order of the
 * {@code gates} output. {@code file} is where it was loaded from (for messages, never for identity).
 */
public record ModelContract(
    Task task,
    String name,
    String version,
    String architecture,
    List<String> labels,
    List<Float> thresholds,
    Map<String, String> specIds,
    Map<String, Integer> maxLengths,
    Map<String, Integer> inputDims,
    List<String> gateNames,
    List<String> modalities,
    String datasetHash,
    Path file) {

  /** The three model inputs, in the ONNX input order. */
  public static final List<String> MODALITIES = List.of("text", "audio", "video");

  public ModelContract {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    labels = List.copyOf(labels);
    thresholds = List.copyOf(thresholds);
    specIds = Map.copyOf(specIds);
    maxLengths = Map.copyOf(maxLengths);
    inputDims = Map.copyOf(inputDims);
    gateNames = List.copyOf(gateNames);
    modalities = List.copyOf(modalities);
    if (labels.isEmpty() || labels.size() != thresholds.size()) {
      throw new IllegalArgumentException(
          "model " + name + " has " + labels.size() + " labels and " + thresholds.size() + " thresholds");
    }
    for (String m : MODALITIES) {
      if (!specIds.containsKey(m) || !maxLengths.containsKey(m) || !inputDims.containsKey(m)) {
        throw new IllegalArgumentException("model " + name + " lacks the spec id, max length or dim of " + m);
      }
    }
  }

  /** The spec id the model expects for a modality (text, audio, video, window), or null if it does not say. */
  public String specFor(String modality) {
    return specIds.get(modality);
  }

  /** name@version, as predictions and logs show it. */
  public String id() {
    return name + "@" + version;
  }
}
