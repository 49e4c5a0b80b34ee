package dev.mmstream.streams.inference;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.streams.inference.ScoreOutcome.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a window can be fed to a model: same task, the feature spec ids the model was trained on,
 * and matrices of the model's width, within its max lengths, holding finite values. The checks mirror
 * what training refuses in a dataset (training/mmstream_training/data/dataset.py), so serving never
 * feeds what training would not have seen.
 */
final class WindowCheck {
  private static final List<String> SPEC_KEYS = List.of("text", "audio", "video", "window");

  private WindowCheck() {}

  /** Null when the window is fine, else why not. */
  static Rejected problem(AssembledWindow w, ModelContract model) {
    if (w.task() != model.task()) {
      return new Rejected(DeadLetterReason.SPEC_MISMATCH, "window is for task " + w.task()
          + " but model " + model.id() + " serves " + model.task());
    }
    Rejected spec = specMismatch(w, model);
    if (spec != null) {
      return spec;
    }
    Rejected catalogue = catalogueMismatch(w, model);
    if (catalogue != null) {
      return catalogue;
    }
    List<String> problems = new ArrayList<>();
    for (String modality : ModelContract.MODALITIES) {
      shape(problems, modality, w.block(modality), model);
    }
    return problems.isEmpty() ? null
        : new Rejected(DeadLetterReason.BAD_SHAPE, String.join("; ", problems) + " (model " + model.id() + ")");
  }

  /**
   * As training's dataset check: a modality with no step in the window carries no spec id (nothing was
   * measured, it is masked); every id the window does carry must be the model's, and the window
   * assembler's own id is always there.
   */
  private static Rejected specMismatch(AssembledWindow w, ModelContract model) {
    Map<String, String> got = w.specIds();
    List<String> diffs = new ArrayList<>();
    for (String key : SPEC_KEYS) {
      String expected = model.specFor(key);
      String actual = got == null ? null : got.get(key);
      if (actual == null && isEmpty(w, key)) {
        continue;
      }
      if (!expected.equals(actual)) {
        diffs.add(key + ": model expects '" + expected + "', window has '" + actual + "'");
      }
    }
    if (diffs.isEmpty()) {
      return null;
    }
    return new Rejected(DeadLetterReason.SPEC_MISMATCH, "feature spec mismatch with model " + model.id()
        + " (" + String.join("; ", diffs) + "): ingest with the features the model was trained on, "
        + "or serve a model trained on these");
  }

  /**
   * A catalogue input the model takes must come from the featurizer it was trained on, at its width; one the model
   * does not take is ignored (an older model serves trailers with posters), and an absent one is masked.
   */
  private static Rejected catalogueMismatch(AssembledWindow w, ModelContract model) {
    for (String c : model.catalogueInputs()) {
      float[] v = w.catalogue().input(c);
      if (v == null) {
        continue;
      }
      String actual = w.catalogue().specIds().get(c);
      if (!model.specFor(c).equals(actual)) {
        return new Rejected(DeadLetterReason.SPEC_MISMATCH, "feature spec mismatch with model " + model.id() + " ("
            + c + ": model expects '" + model.specFor(c) + "', window has '" + actual + "'): ingest with the features"
            + " the model was trained on, or serve a model trained on these");
      }
      if (v.length != model.catalogueDims().get(c)) {
        return new Rejected(DeadLetterReason.BAD_SHAPE, c + " vector has " + v.length + " values but model "
            + model.id() + " expects " + model.catalogueDims().get(c));
      }
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          return new Rejected(DeadLetterReason.BAD_SHAPE, c + " value " + i + " is " + v[i] + " (model " + model.id() + ")");
        }
      }
    }
    return null;
  }

  private static boolean isEmpty(AssembledWindow w, String key) {
    return ModelContract.MODALITIES.contains(key) && w.block(key).rows() == 0;
  }

  private static void shape(List<String> problems, String modality, AssembledWindow.Block m, ModelContract model) {
    int dim = model.inputDims().get(modality);
    int maxLen = model.maxLengths().get(modality);
    int rows = m.rows();
    if (rows > 0 && m.cols() != dim) {
      problems.add(modality + " matrix is " + rows + "x" + m.cols() + " but the model expects " + dim
          + " columns");
      return;
    }
    if (rows > maxLen) {
      problems.add(modality + " has " + rows + " steps, more than the model's max " + maxLen
          + " (the window assembler should have subsampled it)");
      return;
    }
    float[] values = m.values();
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        problems.add(modality + " value at step " + i / dim + ", column " + i % dim + " is " + values[i]);
        return;
      }
    }
  }
}
