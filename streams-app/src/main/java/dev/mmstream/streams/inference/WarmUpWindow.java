package dev.mmstream.streams.inference;

import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.ModelWindow;
import java.util.Collections;

/** A window of zeros at the model's max lengths with its spec ids: the largest input it will see. */
final class WarmUpWindow {
  private WarmUpWindow() {}

  static ModelWindow full(ModelContract model) {
    return ModelWindow.newBuilder()
        .setStreamId("warm-up")
        .setTask(model.task())
        .setWindowStartMs(0)
        .setWindowEndMs(0)
        .setText(zeros(model, "text"))
        .setAudio(zeros(model, "audio"))
        .setVideo(zeros(model, "video"))
        .setSpecIds(model.specIds())
        .build();
  }

  private static Matrix zeros(ModelContract model, String modality) {
    int rows = model.maxLengths().get(modality);
    int cols = model.inputDims().get(modality);
    return new Matrix(rows, cols, Collections.nCopies(rows * cols, 0f));
  }
}
