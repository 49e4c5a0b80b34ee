package dev.mmstream.ingest.audio;

import dev.mmstream.schema.v1.AudioFeatures;
import java.util.List;

/**
 * Mean-pools consecutive audio frames into model steps of {@code stepMs} (100 ms = 10 frames by default),
 * giving a {@code [steps x (mels + 3)]} matrix: 64 log-mel + 3 prosody columns for the default spec.
 *
 * <p>Per step, over its frames:
 * <ul>
 *   <li>log-mel: the mean of the log values (mean in the log domain);</li>
 *   <li>pitch: the mean of {@code ln(1 + Hz)} over the voiced frames (pitch > 0), 0 if none is voiced,
 *       so unvoiced frames neither drag the pitch towards 0 nor count as a low voice;</li>
 *   <li>voicing: the mean voicing probability over all frames;</li>
 *   <li>energy: dBFS of the mean frame power ({@code 10 log10(mean(10^(dB/10)))}), so one loud frame
 *       counts as loud, not as an average of decibels.</li>
 * </ul>
 * Step s starts at media time {@code records.get(0).start_ms + s * stepMs}; a last step with fewer frames
 * averages the frames it has.
 */
public final class AudioPooling {
  private AudioPooling() {}

  /**
   * @param records consecutive records of one stream and one spec, in order, with no gap
   * @param stepMs step length, a positive multiple of the records' hop
   * @return one row per step; {@code ceil(frames / (stepMs / hop))} rows
   */
  public static float[][] meanPool(List<AudioFeatures> records, int stepMs) {
    if (records.isEmpty()) {
      return new float[0][];
    }
    final AudioFeatures first = records.get(0);
    final int hopMs = first.getHopMs();
    final int mels = first.getLogmel().getCols();
    if (stepMs <= 0 || stepMs % hopMs != 0) {
      throw new IllegalArgumentException("stepMs = " + stepMs + ": must be a positive multiple of the hop ("
          + hopMs + " ms)");
    }
    requireContiguous(records);
    final int framesPerStep = stepMs / hopMs;
    final int frames = records.stream().mapToInt(r -> r.getLogmel().getRows()).sum();
    final Step[] steps = new Step[(frames + framesPerStep - 1) / framesPerStep];
    int frame = 0;
    for (AudioFeatures record : records) {
      final List<Float> logmel = record.getLogmel().getValues();
      final List<Float> prosody = record.getProsody().getValues();
      for (int r = 0; r < record.getLogmel().getRows(); r++, frame++) {
        final int s = frame / framesPerStep;
        if (steps[s] == null) {
          steps[s] = new Step(mels);
        }
        steps[s].add(logmel, r * mels, prosody, r * ProsodyAnalyzer.COLUMNS);
      }
    }
    final float[][] out = new float[steps.length][];
    for (int s = 0; s < steps.length; s++) {
      out[s] = steps[s].mean();
    }
    return out;
  }

  private static void requireContiguous(List<AudioFeatures> records) {
    final AudioFeatures first = records.get(0);
    long expectedStart = first.getStartMs();
    for (AudioFeatures r : records) {
      if (!r.getSpecId().equals(first.getSpecId()) || !r.getStreamId().equals(first.getStreamId())) {
        throw new IllegalArgumentException("record at " + r.getStartMs() + " ms is " + r.getStreamId() + " / "
            + r.getSpecId() + ", expected " + first.getStreamId() + " / " + first.getSpecId()
            + ": pool one stream and one spec at a time");
      }
      if (r.getStartMs() != expectedStart) {
        throw new IllegalArgumentException("record starts at " + r.getStartMs() + " ms, expected " + expectedStart
            + " ms (records must be consecutive, in order, without gaps)");
      }
      expectedStart += (long) r.getLogmel().getRows() * r.getHopMs();
    }
  }

  /** Running sums of one step. */
  private static final class Step {
    private final double[] logmel;
    private double logPitch;
    private int voiced;
    private double voicing;
    private double power;
    private int frames;

    Step(int mels) {
      this.logmel = new double[mels];
    }

    void add(List<Float> mel, int melOffset, List<Float> prosody, int prosodyOffset) {
      for (int m = 0; m < logmel.length; m++) {
        logmel[m] += mel.get(melOffset + m);
      }
      final float hz = prosody.get(prosodyOffset + ProsodyAnalyzer.PITCH);
      if (hz > 0f) {
        logPitch += Math.log1p(hz);
        voiced++;
      }
      voicing += prosody.get(prosodyOffset + ProsodyAnalyzer.VOICING);
      power += Math.pow(10.0, prosody.get(prosodyOffset + ProsodyAnalyzer.ENERGY) / 10.0);
      frames++;
    }

    float[] mean() {
      final float[] row = new float[logmel.length + ProsodyAnalyzer.COLUMNS];
      for (int m = 0; m < logmel.length; m++) {
        row[m] = (float) (logmel[m] / frames);
      }
      row[logmel.length + ProsodyAnalyzer.PITCH] = voiced == 0 ? 0f : (float) (logPitch / voiced);
      row[logmel.length + ProsodyAnalyzer.VOICING] = (float) (voicing / frames);
      row[logmel.length + ProsodyAnalyzer.ENERGY] = (float) (10.0 * Math.log10(power / frames));
      return row;
    }
  }
}
