package dev.mmstream.streams.inference;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.CatalogueInputs;
import dev.mmstream.align.WindowBounds;
import java.util.HashMap;

/** A window of zeros at the model's max lengths with its spec ids: the largest input it will see. */
final class WarmUpWindow {
  private WarmUpWindow() {}

  static AssembledWindow full(ModelContract model) {
    return new AssembledWindow("warm-up", model.task(), new WindowBounds(0, 1),
        zeros(model, "text"), zeros(model, "audio"), zeros(model, "video"), model.specIds(), catalogue(model));
  }

  private static CatalogueInputs catalogue(ModelContract model) {
    var dims = model.catalogueDims();
    var specIds = new HashMap<String, String>();
    dims.keySet().forEach(c -> specIds.put(c, model.specFor(c)));
    return new CatalogueInputs(dims.containsKey("poster") ? new float[dims.get("poster")] : null,
        dims.containsKey("metadata") ? new float[dims.get("metadata")] : null, specIds);
  }

  private static AssembledWindow.Block zeros(ModelContract model, String modality) {
    int rows = model.maxLengths().get(modality);
    int cols = model.inputDims().get(modality);
    return new AssembledWindow.Block(rows, cols, new float[rows * cols]);
  }
}
