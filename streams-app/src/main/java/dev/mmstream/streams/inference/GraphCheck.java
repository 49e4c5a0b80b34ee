package dev.mmstream.streams.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a session's inputs and outputs against the export contract: float features [B,T,D_m] with
 * D_m from the metadata, bool masks [B,T], and float outputs probs [B,C] and gates [B,M] whose static
 * widths match the labels and gate names; and for each catalogue input the model takes, float [B,D] with its bool
 * mask [B].
 */
final class GraphCheck {
  static final String PROBS = "probs";
  static final String GATES = "gates";

  private GraphCheck() {}

  static void check(OrtSession session, ModelContract contract) throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    Set<String> expected = new TreeSet<>();
    for (String m : ModelContract.MODALITIES) {
      expected.add(m);
      expected.add(maskName(m));
    }
    for (String c : contract.catalogueInputs()) {
      expected.add(c);
      expected.add(maskName(c));
    }
    if (!inputs.keySet().equals(expected)) {
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(inputs.keySet());
      Set<String> unexpected = new TreeSet<>(inputs.keySet());
      unexpected.removeAll(expected);
      throw new ModelLoadException(contract.file(), "inputs must be " + expected + "; missing " + missing
          + ", unexpected " + unexpected);
    }
    List<String> problems = new ArrayList<>();
    for (String m : ModelContract.MODALITIES) {
      expect(problems, m, inputs.get(m), OnnxJavaType.FLOAT, 3, contract.inputDims().get(m));
      expect(problems, maskName(m), inputs.get(maskName(m)), OnnxJavaType.BOOL, 2, null);
    }
    for (String c : contract.catalogueInputs()) {
      expect(problems, c, inputs.get(c), OnnxJavaType.FLOAT, 2, contract.catalogueDims().get(c));
      expect(problems, maskName(c), inputs.get(maskName(c)), OnnxJavaType.BOOL, 1, null);
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    for (String name : List.of(PROBS, GATES)) {
      if (!outputs.containsKey(name)) {
        problems.add("output " + name + " is missing (outputs: " + outputs.keySet() + ")");
      }
    }
    if (problems.isEmpty()) {
      expect(problems, PROBS, outputs.get(PROBS), OnnxJavaType.FLOAT, 2, contract.labels().size());
      expect(problems, GATES, outputs.get(GATES), OnnxJavaType.FLOAT, 2, contract.gateNames().size());
    }
    if (!problems.isEmpty()) {
      throw new ModelLoadException(contract.file(), String.join("; ", problems));
    }
  }

  static String maskName(String modality) {
    return modality + "_mask";
  }

  /** Type and rank must match; the last axis must equal {@code width} when the graph fixes it. */
  private static void expect(List<String> problems, String name, NodeInfo node, OnnxJavaType type, int rank,
      Integer width) {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      problems.add(name + " is not a tensor");
      return;
    }
    long[] shape = info.getShape();
    if (info.type != type || shape.length != rank) {
      problems.add(name + " is " + info.type + Arrays.toString(shape) + ", expected " + type + " of rank " + rank);
      return;
    }
    long last = shape[rank - 1];
    if (width != null && last > 0 && last != width) {
      problems.add(name + " has " + last + " columns but the metadata says " + width);
    }
  }
}
