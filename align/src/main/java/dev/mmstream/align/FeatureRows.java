package dev.mmstream.align;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.List;

/**
 * One feature record reduced, once, to the float rows windows read of it. A record is reduced when it
 * arrives, and every window it falls in reads the rows (a record falls in about four emotion windows):
 * decoding Avro's boxed float lists for each window cost the streams app more than inference did.
 * Shapes are checked here; values are checked where a window is assembled, as before.
 */
public sealed interface FeatureRows permits FeatureRows.Frame, FeatureRows.Audio, FeatureRows.Tokens {
  String specId();

  /** A sampled frame as the model's per-frame vector ({@link FrameVectorizer}). */
  record Frame(long ptsMs, String specId, float[] vector) implements FeatureRows {
    /** @throws MalformedFeaturesException when a face or scene field has the wrong length */
    public static Frame of(FrameFeatures frame) {
      return new Frame(frame.getPtsMs(), frame.getSpecId(), FrameVectorizer.vector(frame));
    }
  }

  /**
   * About a second of 10 ms log-mel frames and their prosody, row-major.
   *
   * @param logMel rows x bins values
   * @param prosody rows x 3 values: pitch (Hz, 0 unvoiced), voicing probability, energy (dBFS)
   */
  record Audio(long startMs, int hopMs, String specId, int rows, int bins, float[] logMel, float[] prosody)
      implements FeatureRows {
    public long endMs() {
      return startMs + (long) rows * hopMs;
    }

    /** @throws MalformedFeaturesException when the matrices disagree on rows or carry the wrong count */
    public static Audio of(AudioFeatures chunk) {
      Matrix logMel = chunk.getLogmel();
      Matrix prosody = chunk.getProsody();
      if (logMel.getValues().size() != logMel.getRows() * logMel.getCols()
          || prosody.getCols() != AudioStepPooler.PROSODY
          || prosody.getRows() != logMel.getRows()
          || prosody.getValues().size() != prosody.getRows() * AudioStepPooler.PROSODY
          || chunk.getHopMs() <= 0) {
        throw new MalformedFeaturesException(
            "audio chunk at " + chunk.getStartMs() + " ms has inconsistent shapes: log-mel "
                + logMel.getRows() + "x" + logMel.getCols() + " (" + logMel.getValues().size()
                + " values), prosody " + prosody.getRows() + "x" + prosody.getCols() + ", hop "
                + chunk.getHopMs() + " ms");
      }
      return new Audio(chunk.getStartMs(), chunk.getHopMs(), chunk.getSpecId(), logMel.getRows(), logMel.getCols(),
          floats(logMel.getValues()), floats(prosody.getValues()));
    }
  }

  /**
   * One caption cue's token states with a time per token.
   *
   * @param states timesMs.length x 384 values, row-major
   */
  record Tokens(int cueIndex, long cueStartMs, long cueEndMs, String specId, long[] timesMs, float[] states)
      implements FeatureRows {
    /** @throws MalformedFeaturesException when the states are not one 384-wide row per token time */
    public static Tokens of(TokenFeatures cue) {
      Matrix states = cue.getEmbeddings();
      List<Long> times = cue.getTokenTimesMs();
      if (states.getRows() != times.size() || states.getCols() != WindowAssembler.TEXT_DIM
          || states.getValues().size() != states.getRows() * WindowAssembler.TEXT_DIM) {
        throw new MalformedFeaturesException(
            "cue " + cue.getCueIndex() + " at " + cue.getCueStartMs() + " ms has " + times.size()
                + " token times for a " + states.getRows() + "x" + states.getCols() + " matrix (expected n x "
                + WindowAssembler.TEXT_DIM + ")");
      }
      long[] t = new long[times.size()];
      for (int i = 0; i < t.length; i++) {
        t[i] = times.get(i);
      }
      return new Tokens(cue.getCueIndex(), cue.getCueStartMs(), cue.getCueEndMs(), cue.getSpecId(), t,
          floats(states.getValues()));
    }
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
