package dev.mmstream.streams.inference;

import dev.mmstream.align.CatalogueInputs;
import dev.mmstream.align.HoppingWindows;
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
 * {@code thresholdsByModalities} holds decision thresholds tuned on windows with exactly those
 * modalities present (keys such as {@code text}, {@code audio}, {@code text+audio+video}): a text-only
 * window's scores are calibrated differently from a tri-modal one's. Other windows use {@code thresholds}.
 * {@code catalogueDims} names the catalogue inputs (poster, metadata) a genre model takes, with their widths; models
 * without them take none, and serve trailers with and without posters alike.
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
    Path file,
    Map<String, List<Float>> thresholdsByModalities,
    HoppingWindows windows,
    Map<String, Integer> catalogueDims) {

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
    thresholdsByModalities = Map.copyOf(thresholdsByModalities);
    catalogueDims = Map.copyOf(catalogueDims);
    if (labels.isEmpty() || labels.size() != thresholds.size()) {
      throw new IllegalArgumentException(
          "model " + name + " has " + labels.size() + " labels and " + thresholds.size() + " thresholds");
    }
    for (var entry : thresholdsByModalities.entrySet()) {
      if (entry.getValue().size() != labels.size()) {
        throw new IllegalArgumentException("model " + name + " has " + labels.size() + " labels but "
            + entry.getValue().size() + " thresholds for windows with " + entry.getKey());
      }
    }
    for (String m : MODALITIES) {
      if (!specIds.containsKey(m) || !maxLengths.containsKey(m) || !inputDims.containsKey(m)) {
        throw new IllegalArgumentException("model " + name + " lacks the spec id, max length or dim of " + m);
      }
    }
    for (String c : catalogueDims.keySet()) {
      if (!CatalogueInputs.NAMES.contains(c) || !specIds.containsKey(c) || catalogueDims.get(c) <= 0) {
        throw new IllegalArgumentException("model " + name + " has catalogue input " + c + " without a spec id or width");
      }
    }
  }

  /** A model without catalogue inputs. */
  public ModelContract(Task task, String name, String version, String architecture, List<String> labels,
      List<Float> thresholds, Map<String, String> specIds, Map<String, Integer> maxLengths,
      Map<String, Integer> inputDims, List<String> gateNames, List<String> modalities, String datasetHash, Path file,
      Map<String, List<Float>> thresholdsByModalities, HoppingWindows windows) {
    this(task, name, version, architecture, labels, thresholds, specIds, maxLengths, inputDims, gateNames,
        modalities, datasetHash, file, thresholdsByModalities, windows, Map.of());
  }

  /** The catalogue inputs the model takes, in the ONNX input order. */
  public List<String> catalogueInputs() {
    return CatalogueInputs.NAMES.stream().filter(catalogueDims::containsKey).toList();
  }

  /** A model without thresholds per modality set or recorded windows. */
  public ModelContract(Task task, String name, String version, String architecture, List<String> labels,
      List<Float> thresholds, Map<String, String> specIds, Map<String, Integer> maxLengths,
      Map<String, Integer> inputDims, List<String> gateNames, List<String> modalities, String datasetHash, Path file) {
    this(task, name, version, architecture, labels, thresholds, specIds, maxLengths, inputDims, gateNames,
        modalities, datasetHash, file, Map.of(), null);
  }

  /**
   * The windows an emotion model was trained on. Models that do not record them were trained before the
   * training export did, on the only windows extract cut then: 4 s every 1 s.
   */
  public HoppingWindows trainedWindows() {
    return windows != null ? windows : HoppingWindows.emotion();
  }

  /**
   * The decision thresholds for a window with these modalities present (lower-case names, in the order
   * text, audio, video): the ones tuned on such windows when the model has them, else the general ones.
   */
  public List<Float> thresholdsFor(List<String> present) {
    return thresholdsByModalities.getOrDefault(String.join("+", present), thresholds);
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
