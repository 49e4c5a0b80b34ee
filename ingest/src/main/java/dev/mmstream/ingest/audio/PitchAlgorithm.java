package dev.mmstream.ingest.audio;

import be.tarsos.dsp.pitch.McLeodPitchMethod;
import be.tarsos.dsp.pitch.PitchDetector;
import be.tarsos.dsp.pitch.Yin;
import java.util.Locale;

/**
 * The TarsosDSP pitch detector behind the prosody columns.
 *
 * <p>YIN is the default: it is the algorithm librosa's {@code yin}/{@code pyin} reference implements,
 * its cumulative-mean-normalised difference gives a voicing probability ({@code 1 - d'(tau)}) for free,
 * and it does not need MPM's 0.97 relative peak cutoff tuned for music. Both work on the 25 ms frame
 * itself, so with 400 samples at 16 kHz the lowest detectable pitch is about 80 Hz (a lag of half the
 * frame); TarsosDSP's MPM also rejects anything below 80 Hz.
 */
public enum PitchAlgorithm {
  YIN {
    @Override
    PitchDetector newDetector(int sampleRateHz, int frameSamples) {
      return new Yin(sampleRateHz, frameSamples);
    }
  },
  MPM {
    @Override
    PitchDetector newDetector(int sampleRateHz, int frameSamples) {
      return new McLeodPitchMethod(sampleRateHz, frameSamples);
    }
  };

  /** The lower-case name used in spec ids, e.g. {@code yin}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A fresh, stateful detector for one stream; TarsosDSP detectors reuse their buffers between calls. */
  abstract PitchDetector newDetector(int sampleRateHz, int frameSamples);
}
