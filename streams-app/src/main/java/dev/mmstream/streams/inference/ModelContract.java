package dev.mmstream.streams.inference;

import dev.mmstream.schema.v1.Task;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model promises, read from its ONNX metadata: the task, labels with decision thresholds, the
 * feature spec id of each modality it was trained on, the input lengths and dims, and the names of
 * its GMU gate inputs.
 */
public record ModelContract(
    Task task,
    String name,
    String version,
    List<String> labels,
    List<Float> thresholds,
    Map<String, String> specIds,
    Map<String, Integer> maxLengths,
    Map<String, Integer> inputDims,
    List<String> gateNames) {
  public ModelContract {
    Objects.requireNonNull(task, "task");
    labels = List.copyOf(labels);
    thresholds = List.copyOf(thresholds);
    specIds = Map.copyOf(specIds);
    maxLengths = Map.copyOf(maxLengths);
    inputDims = Map.copyOf(inputDims);
    gateNames = List.copyOf(gateNames);
    if (labels.isEmpty() || labels.size() != thresholds.size()) {
      throw new IllegalArgumentException(
          "model " + name + " has " + labels.size() + " labels and " + thresholds.size() + " thresholds");
    }
  }

  /** The spec id the model expects for a modality (text, audio, video, window), or null if it does not say. */
  public String specFor(String modality) {
    return specIds.get(modality);
  }
}
