package dev.mmstream.ingest.audio;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.PitchDetector;

/**
 * TarsosDSP's YIN ({@code be.tarsos.dsp.pitch.Yin}, de Cheveigné and Kawahara 2002), step for step and
 * float for float, with one change: the difference function sums four lags at once. Each lag's sum
 * still adds the same terms in the same order, so every result is bit-identical to TarsosDSP's (a test
 * holds it to that), in less time: TarsosDSP's inner loop is one chain of dependent additions. Its
 * class is final with private steps, so the other steps are repeated here rather than reused.
 *
 * <p>Stateful (reuses its buffer and result): one instance per stream.
 */
final class YinPitch implements PitchDetector {
  private static final double THRESHOLD = 0.20; // TarsosDSP's default

  private final float sampleRate;
  private final float[] yin;
  private final PitchDetectionResult result = new PitchDetectionResult();

  YinPitch(float sampleRate, int frameSamples) {
    this.sampleRate = sampleRate;
    this.yin = new float[frameSamples / 2];
  }

  @Override
  public PitchDetectionResult getPitch(float[] frame) {
    difference(frame);
    cumulativeMeanNormalizedDifference();
    int tau = absoluteThreshold();
    result.setPitch(tau == -1 ? -1f : sampleRate / parabolicInterpolation(tau));
    return result;
  }

  /**
   * yin[tau] = sum over i of (x[i] - x[i + tau])^2, i ascending for every tau, as TarsosDSP adds them.
   * Four lags at a time, each in its own register: four independent chains of additions keep the FPU
   * busy where one chain waits on each addition's latency.
   */
  private void difference(float[] x) {
    int n = yin.length;
    yin[0] = 0;
    int tau = 1;
    for (; tau + 3 < n; tau += 4) {
      float s0 = 0;
      float s1 = 0;
      float s2 = 0;
      float s3 = 0;
      for (int i = 0; i < n; i++) {
        float xi = x[i];
        float d0 = xi - x[i + tau];
        float d1 = xi - x[i + tau + 1];
        float d2 = xi - x[i + tau + 2];
        float d3 = xi - x[i + tau + 3];
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
      }
      yin[tau] = s0;
      yin[tau + 1] = s1;
      yin[tau + 2] = s2;
      yin[tau + 3] = s3;
    }
    for (; tau < n; tau++) {
      float s = 0;
      for (int i = 0; i < n; i++) {
        float d = x[i] - x[i + tau];
        s += d * d;
      }
      yin[tau] = s;
    }
  }

  private void cumulativeMeanNormalizedDifference() {
    yin[0] = 1;
    float runningSum = 0;
    for (int tau = 1; tau < yin.length; tau++) {
      runningSum += yin[tau];
      yin[tau] *= tau / runningSum;
    }
  }

  private int absoluteThreshold() {
    int tau;
    for (tau = 2; tau < yin.length; tau++) {
      if (yin[tau] < THRESHOLD) {
        while (tau + 1 < yin.length && yin[tau + 1] < yin[tau]) {
          tau++;
        }
        result.setProbability(1 - yin[tau]);
        break;
      }
    }
    if (tau == yin.length || yin[tau] >= THRESHOLD) {
      result.setProbability(0);
      result.setPitched(false);
      return -1;
    }
    result.setPitched(true);
    return tau;
  }

  private float parabolicInterpolation(int tau) {
    int x0 = tau < 1 ? tau : tau - 1;
    int x2 = tau + 1 < yin.length ? tau + 1 : tau;
    if (x0 == tau) {
      return yin[tau] <= yin[x2] ? tau : x2;
    }
    if (x2 == tau) {
      return yin[tau] <= yin[x0] ? tau : x0;
    }
    float s0 = yin[x0];
    float s1 = yin[tau];
    float s2 = yin[x2];
    return tau + (s2 - s0) / (2 * (2 * s1 - s2 - s0));
  }
}
