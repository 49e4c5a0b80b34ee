package dev.mmstream.ingest.audio;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.PitchDetector;

/**
 * One frame's prosody: pitch (Hz, 0 when unvoiced), voicing probability (0..1) and energy (dBFS).
 *
 * <p>Pitch and voicing come from the TarsosDSP detector chosen in the spec, run on the same samples as
 * the log-mel frame. The voicing probability is the detector's own: for YIN {@code 1 - d'(tau)} at the
 * chosen lag (so at least 0.8 when voiced, TarsosDSP's YIN threshold being 0.2); it is 0 whenever the
 * detector finds no pitch and for frames at the energy floor. Energy is {@code 10 log10(mean(x²))} over the
 * unwindowed frame, floored at {@value #ENERGY_FLOOR_DBFS} dBFS: a full-scale square wave is 0 dBFS,
 * a full-scale sine -3.01 dBFS.
 */
final class ProsodyAnalyzer {
  static final double ENERGY_FLOOR_DBFS = -100.0;
  private static final double ENERGY_FLOOR = Math.pow(10.0, ENERGY_FLOOR_DBFS / 10.0);

  static final int PITCH = 0;
  static final int VOICING = 1;
  static final int ENERGY = 2;
  static final int COLUMNS = 3;

  private final PitchDetector detector;

  ProsodyAnalyzer(AudioSpec spec) {
    this.detector = spec.pitch().newDetector(spec.sampleRateHz(), spec.windowSamples());
  }

  /** Writes pitch, voicing and energy into {@code out[offset, offset + 3)}; {@code frame} is not modified. */
  void compute(float[] frame, float[] out, int offset) {
    final double meanSquare = meanSquare(frame);
    out[offset + ENERGY] = (float) (10.0 * Math.log10(Math.max(meanSquare, ENERGY_FLOOR)));
    out[offset + PITCH] = 0f;
    out[offset + VOICING] = 0f;
    // Frames at the energy floor are unvoiced by definition; YIN is not asked, since on digital
    // silence its normalised difference is 0/0 (it would also answer "unvoiced", by way of NaN).
    if (meanSquare <= ENERGY_FLOOR) {
      return;
    }
    final PitchDetectionResult result = detector.getPitch(frame);
    final float hz = result.getPitch();
    if (result.isPitched() && Float.isFinite(hz) && hz > 0f) {
      out[offset + PITCH] = hz;
      out[offset + VOICING] = Math.min(1f, Math.max(0f, result.getProbability()));
    }
  }

  private static double meanSquare(float[] frame) {
    double sum = 0.0;
    for (float x : frame) {
      sum += (double) x * x;
    }
    return sum / frame.length;
  }
}
