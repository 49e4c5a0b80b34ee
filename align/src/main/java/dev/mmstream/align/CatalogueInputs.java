package dev.mmstream.align;

import dev.mmstream.schema.v1.CatalogueFeatures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trailer's catalogue inputs as plain floats: the poster's frame vector and the metadata vector, each null when
 * the trailer does not have it, with their spec ids. They have no time axis: the whole trailer's window carries them.
 */
public record CatalogueInputs(float[] poster, float[] metadata, Map<String, String> specIds) {
  /** The catalogue inputs a model may take, in the ONNX input order. */
  public static final List<String> NAMES = List.of("poster", "metadata");
  public static final CatalogueInputs NONE = new CatalogueInputs(null, null, Map.of());

  public CatalogueInputs {
    specIds = Map.copyOf(specIds);
  }

  /** The vector of "poster" or "metadata", or null when absent. */
  public float[] input(String name) {
    return switch (name) {
      case "poster" -> poster;
      case "metadata" -> metadata;
      default -> throw new IllegalArgumentException("no catalogue input " + name);
    };
  }

  public boolean isEmpty() {
    return poster == null && metadata == null;
  }

  /** Null features are no catalogue. */
  public static CatalogueInputs of(CatalogueFeatures f) {
    if (f == null) {
      return NONE;
    }
    return new CatalogueInputs(floats(f.getPoster()), floats(f.getMetadata()), f.getSpecIds());
  }

  /** Null when empty: records carry no catalogue rather than an empty one. */
  public CatalogueFeatures toAvro() {
    if (isEmpty()) {
      return null;
    }
    return CatalogueFeatures.newBuilder().setPoster(boxed(poster)).setMetadata(boxed(metadata))
        .setSpecIds(new LinkedHashMap<>(specIds)).build();
  }

  private static float[] floats(List<Float> values) {
    if (values == null) {
      return null;
    }
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return v;
  }

  private static List<Float> boxed(float[] v) {
    if (v == null) {
      return null;
    }
    var list = new ArrayList<Float>(v.length);
    for (float f : v) {
      list.add(f);
    }
    return list;
  }
}
