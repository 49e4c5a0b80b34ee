package dev.mmstream.ingest.audio;

import java.util.Arrays;

/**
 * Triangular mel filters on the Slaney mel scale with Slaney area normalisation: the same matrix as
 * {@code librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax)} with its defaults ({@code htk=False,
 * norm="slaney"}), rounded to float32 as librosa stores it.
 *
 * <p>Built here rather than taken from TarsosDSP: its {@code MFCC} filterbank rounds band centres to
 * whole FFT bins, uses the HTK mel formula on a magnitude spectrum without area normalisation, and floors
 * the log at -50, so it cannot match librosa or torchaudio. TarsosDSP still does the FFT and the pitch.
 */
final class MelFilterBank {
  // Slaney's auditory toolbox: linear below 1 kHz (200/3 Hz per mel), logarithmic above.
  private static final double F_SP = 200.0 / 3.0;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOG_STEP = Math.log(6.4) / 27.0;

  /** Per band: first FFT bin with a non-zero weight, and the weights from there on. */
  private final int[] firstBin;
  private final float[][] weights;

  MelFilterBank(int sampleRateHz, int fftSize, int mels, double fMinHz, double fMaxHz) {
    final int bins = fftSize / 2 + 1;
    final double[] edges = bandEdgesHz(mels, fMinHz, fMaxHz);
    firstBin = new int[mels];
    weights = new float[mels][];
    for (int m = 0; m < mels; m++) {
      final float[] row = new float[bins];
      int first = -1;
      int last = -1;
      final double norm = 2.0 / (edges[m + 2] - edges[m]);
      for (int k = 0; k < bins; k++) {
        final double hz = (double) k * sampleRateHz / fftSize;
        final double rising = (hz - edges[m]) / (edges[m + 1] - edges[m]);
        final double falling = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
        // Rounded twice, as librosa does: the triangle into float32, then the normalised product.
        row[k] = (float) ((float) Math.max(0.0, Math.min(rising, falling)) * norm);
        if (row[k] > 0f) {
          first = first < 0 ? k : first;
          last = k;
        }
      }
      if (first < 0) {
        throw new IllegalArgumentException("mel band " + m + " of " + mels + " (" + Math.round(edges[m]) + "-"
            + Math.round(edges[m + 2]) + " Hz) falls between FFT bins: use fewer mels or a longer window");
      }
      firstBin[m] = first;
      weights[m] = Arrays.copyOfRange(row, first, last + 1);
    }
  }

  int mels() {
    return weights.length;
  }

  /** {@code out[m] = sum_k W[m][k] * power[k]}, accumulated in double. */
  void apply(double[] power, double[] out) {
    for (int m = 0; m < weights.length; m++) {
      final float[] w = weights[m];
      final int first = firstBin[m];
      double sum = 0.0;
      for (int j = 0; j < w.length; j++) {
        sum += w[j] * power[first + j];
      }
      out[m] = sum;
    }
  }

  /** mels + 2 edges equally spaced on the mel scale, like {@code librosa.mel_frequencies}. */
  private static double[] bandEdgesHz(int mels, double fMinHz, double fMaxHz) {
    final double lo = hzToMel(fMinHz);
    final double hi = hzToMel(fMaxHz);
    final double step = (hi - lo) / (mels + 1);
    final double[] hz = new double[mels + 2];
    for (int i = 0; i < hz.length; i++) {
      hz[i] = melToHz(i == mels + 1 ? hi : lo + i * step);   // numpy.linspace ends exactly on hi
    }
    return hz;
  }

  static double hzToMel(double hz) {
    return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
  }

  static double melToHz(double mel) {
    return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
  }
}
