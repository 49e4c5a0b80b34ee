package dev.mmstream.ingest.audio;

import dev.mmstream.schema.v1.AudioFeatures;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: run a featurizer over a whole signal and flatten its records into per-frame rows. */
final class Frames {
  private Frames() {}

  static List<AudioFeatures> featurize(float[] pcm, AudioSpec spec, long startPtsMs) {
    final AudioFeaturizer featurizer = new AudioFeaturizer("s1", spec, startPtsMs);
    final List<AudioFeatures> records = new ArrayList<>(featurizer.accept(pcm, 0, pcm.length));
    records.addAll(featurizer.flush());
    return records;
  }

  static float[][] logmel(List<AudioFeatures> records) {
    return rows(records, true);
  }

  static float[][] prosody(List<AudioFeatures> records) {
    return rows(records, false);
  }

  private static float[][] rows(List<AudioFeatures> records, boolean logmel) {
    final List<float[]> rows = new ArrayList<>();
    for (AudioFeatures r : records) {
      final var m = logmel ? r.getLogmel() : r.getProsody();
      for (int i = 0; i < m.getRows(); i++) {
        final float[] row = new float[m.getCols()];
        for (int c = 0; c < row.length; c++) {
          row[c] = m.getValues().get(i * m.getCols() + c);
        }
        rows.add(row);
      }
    }
    return rows.toArray(new float[0][]);
  }

  static double cents(double hz, double referenceHz) {
    return 1200.0 * Math.log(hz / referenceHz) / Math.log(2.0);
  }
}
