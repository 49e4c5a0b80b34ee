package dev.mmstream.align;

import java.util.ArrayList;
import java.util.List;

/**
 * Pools the 10 ms log-mel + prosody frames that fall inside a window into fixed-length steps.
 * Each step row is the mean log-mel (n_bins values), then log(1 + pitch Hz) averaged over voiced
 * frames (0 when none is voiced), the mean voicing probability and the energy of the step in dBFS (the dB of the mean power, not the mean of dB). A step
 * with no frame at all (audio missing there) produces no row: absence is masked, not zero-filled.
 */
final class AudioStepPooler {
  static final int PROSODY = 3;

  private AudioStepPooler() {}

  static List<float[]> pool(List<FeatureRows.Audio> chunks, WindowBounds window, int stepMs) {
    int steps = (int) ((window.lengthMs() + stepMs - 1) / stepMs);
    Accumulator[] acc = new Accumulator[steps];
    int bins = -1;
    for (FeatureRows.Audio chunk : chunks) {
      if (bins < 0) {
        bins = chunk.bins();
      }
      if (chunk.bins() != bins) {
        throw new MalformedFeaturesException("audio chunk at " + chunk.startMs() + " ms has " + chunk.bins()
            + " log-mel bands where the window's other chunks have " + bins);
      }
      for (int i = 0; i < chunk.rows(); i++) {
        long t = chunk.startMs() + (long) i * chunk.hopMs();
        if (!window.contains(t)) {
          continue;
        }
        int step = (int) ((t - window.startMs()) / stepMs);
        if (acc[step] == null) {
          acc[step] = new Accumulator(bins);
        }
        acc[step].add(chunk.logMel(), i * bins, chunk.prosody(), i * PROSODY);
      }
    }
    var rows = new ArrayList<float[]>();
    for (Accumulator a : acc) {
      if (a != null) {
        rows.add(a.mean());
      }
    }
    return rows;
  }

  private static final class Accumulator {
    private final double[] logMel;
    private double logPitch;
    private int voiced;
    private double voicing;
    private double power;
    private int frames;

    Accumulator(int bins) {
      this.logMel = new double[bins];
    }

    void add(float[] mel, int melAt, float[] prosody, int prosodyAt) {
      for (int b = 0; b < logMel.length; b++) {
        logMel[b] += mel[melAt + b];
      }
      float pitchHz = prosody[prosodyAt];
      if (pitchHz > 0) {
        logPitch += Math.log1p(pitchHz);
        voiced++;
      }
      voicing += prosody[prosodyAt + 1];
      power += Math.pow(10, prosody[prosodyAt + 2] / 10.0);
      frames++;
    }

    float[] mean() {
      float[] row = new float[logMel.length + PROSODY];
      for (int b = 0; b < logMel.length; b++) {
        row[b] = (float) (logMel[b] / frames);
      }
      row[logMel.length] = voiced == 0 ? 0f : (float) (logPitch / voiced);
      row[logMel.length + 1] = (float) (voicing / frames);
      row[logMel.length + 2] = (float) (10 * Math.log10(power / frames));
      return row;
    }
  }
}
