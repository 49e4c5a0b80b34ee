package dev.mmstream.schema;

import java.util.ArrayList;
import java.util.List;

/** Avro's {@code array<float>} fields are {@code List<Float>}: the featurizers' float arrays, boxed. */
public final class FloatLists {
  private FloatLists() {}

  public static List<Float> of(float[] values) {
    return of(values, values.length);
  }

  /** The first {@code length} values (featurizers reuse arrays larger than one record). */
  public static List<Float> of(float[] values, int length) {
    List<Float> list = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      list.add(values[i]);
    }
    return list;
  }
}
