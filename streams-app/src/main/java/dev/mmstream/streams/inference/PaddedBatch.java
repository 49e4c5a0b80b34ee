package dev.mmstream.streams.inference;

import dev.mmstream.align.AssembledWindow;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct buffers holding one batch of model inputs, reused across runs (tensors wrap them without a
 * copy). Each modality is padded to the longest real length in the batch (at least 1 step, at most the
 * model's max length); padded steps are zeros with mask false, as in training's batches, and sit after
 * the real steps, so they cannot change the outputs. A catalogue input the model takes is one row per window,
 * zeros with mask false where the trailer does not have it. Not thread-safe: one run at a time owns it.
 */
final class PaddedBatch {
  private static final int N = ModelContract.MODALITIES.size();

  private final FloatBuffer[] features = new FloatBuffer[N];
  private final ByteBuffer[] masks = new ByteBuffer[N];
  private final long[][] featureShapes = new long[N][];
  private final long[][] maskShapes = new long[N][];
  private final Map<String, FloatBuffer> catalogue = new HashMap<>();
  private final Map<String, ByteBuffer> catalogueMasks = new HashMap<>();
  private int batch;

  /** Fills the buffers from windows that passed {@link WindowCheck}. */
  void fill(List<AssembledWindow> windows, ModelContract model) {
    int b = windows.size();
    batch = b;
    for (String c : model.catalogueInputs()) {
      fillCatalogue(windows, c, model.catalogueDims().get(c));
    }
    for (int i = 0; i < N; i++) {
      String modality = ModelContract.MODALITIES.get(i);
      int dim = model.inputDims().get(modality);
      int steps = 1;
      for (AssembledWindow w : windows) {
        steps = Math.max(steps, w.block(modality).rows());
      }
      steps = Math.min(steps, model.maxLengths().get(modality));
      features[i] = floats(features[i], b * steps * dim);
      masks[i] = bytes(masks[i], b * steps);
      for (int j = 0; j < b; j++) {
        copy(windows.get(j).block(modality), features[i], masks[i], j, steps, dim);
      }
      features[i].position(0).limit(b * steps * dim);
      masks[i].position(0).limit(b * steps);
      featureShapes[i] = new long[] {b, steps, dim};
      maskShapes[i] = new long[] {b, steps};
    }
  }

  private void fillCatalogue(List<AssembledWindow> windows, String name, int dim) {
    int b = windows.size();
    FloatBuffer f = floats(catalogue.get(name), b * dim);
    ByteBuffer mask = bytes(catalogueMasks.get(name), b);
    for (int j = 0; j < b; j++) {
      float[] v = windows.get(j).catalogue().input(name);
      if (v != null) {
        f.put(j * dim, v, 0, dim);
      } else {
        for (int k = j * dim; k < (j + 1) * dim; k++) {
          f.put(k, 0f);
        }
      }
      mask.put(j, (byte) (v != null ? 1 : 0));
    }
    f.position(0).limit(b * dim);
    mask.position(0).limit(b);
    catalogue.put(name, f);
    catalogueMasks.put(name, mask);
  }

  FloatBuffer catalogue(String name) {
    return catalogue.get(name);
  }

  ByteBuffer catalogueMask(String name) {
    return catalogueMasks.get(name);
  }

  long[] catalogueShape(String name, int dim) {
    return new long[] {batch, dim};
  }

  long[] catalogueMaskShape() {
    return new long[] {batch};
  }

  FloatBuffer features(int modality) {
    return features[modality];
  }

  ByteBuffer mask(int modality) {
    return masks[modality];
  }

  long[] featureShape(int modality) {
    return featureShapes[modality];
  }

  long[] maskShape(int modality) {
    return maskShapes[modality];
  }

  private static void copy(AssembledWindow.Block m, FloatBuffer f, ByteBuffer mask, int row, int steps, int dim) {
    int real = Math.min(m.rows(), steps);
    int base = row * steps * dim;
    int n = real * dim;
    f.put(base, m.values(), 0, n);
    for (int v = base + n; v < base + steps * dim; v++) {
      f.put(v, 0f);
    }
    for (int s = 0; s < steps; s++) {
      mask.put(row * steps + s, (byte) (s < real ? 1 : 0));
    }
  }

  private static FloatBuffer floats(FloatBuffer current, int n) {
    if (current != null && current.capacity() >= n) {
      return current.clear();
    }
    return ByteBuffer.allocateDirect(Math.max(n, 1) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private static ByteBuffer bytes(ByteBuffer current, int n) {
    if (current != null && current.capacity() >= n) {
      return current.clear();
    }
    return ByteBuffer.allocateDirect(Math.max(n, 1)).order(ByteOrder.nativeOrder());
  }
}
