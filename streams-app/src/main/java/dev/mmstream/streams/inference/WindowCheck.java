package dev.mmstream.streams.inference;

import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.ModelWindow;
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
  static Rejected problem(ModelWindow w, ModelContract model) {
    if (w.getTask() != model.task()) {
      return new Rejected(DeadLetterReason.SPEC_MISMATCH, "window is for task " + w.getTask()
          + " but model " + model.id() + " serves " + model.task());
    }
    Rejected spec = specMismatch(w, model);
    if (spec != null) {
      return spec;
    }
    List<String> problems = new ArrayList<>();
    shape(problems, "text", w.getText(), model);
    shape(problems, "audio", w.getAudio(), model);
    shape(problems, "video", w.getVideo(), model);
    return problems.isEmpty() ? null
        : new Rejected(DeadLetterReason.BAD_SHAPE, String.join("; ", problems) + " (model " + model.id() + ")");
  }

  /**
   * As training's dataset check: a modality with no step in the window carries no spec id (nothing was
   * measured, it is masked); every id the window does carry must be the model's, and the window
   * assembler's own id is always there.
   */
  private static Rejected specMismatch(ModelWindow w, ModelContract model) {
    Map<String, String> got = w.getSpecIds();
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

  private static boolean isEmpty(ModelWindow w, String key) {
    Matrix m = switch (key) {
      case "text" -> w.getText();
      case "audio" -> w.getAudio();
      case "video" -> w.getVideo();
      default -> null;
    };
    return m != null && m.getRows() == 0;
  }

  private static void shape(List<String> problems, String modality, Matrix m, ModelContract model) {
    int dim = model.inputDims().get(modality);
    int maxLen = model.maxLengths().get(modality);
    if (m == null) {
      problems.add(modality + " matrix is missing");
      return;
    }
    int rows = m.getRows();
    if (rows < 0 || (rows > 0 && m.getCols() != dim)) {
      problems.add(modality + " matrix is " + rows + "x" + m.getCols() + " but the model expects " + dim
          + " columns");
      return;
    }
    if (rows > maxLen) {
      problems.add(modality + " has " + rows + " steps, more than the model's max " + maxLen
          + " (the window assembler should have subsampled it)");
      return;
    }
    List<Float> values = m.getValues();
    if (values.size() != (long) rows * m.getCols()) {
      problems.add(modality + " matrix " + rows + "x" + m.getCols() + " carries " + values.size() + " values");
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      if (!Float.isFinite(values.get(i))) {
        problems.add(modality + " value at step " + i / dim + ", column " + i % dim + " is " + values.get(i));
        return;
      }
    }
  }
}
