package dev.mmstream.ingest.audio;

import be.tarsos.dsp.pitch.PitchDetector;
import java.util.Locale;

/**
 * The TarsosDSP pitch detector behind the prosody columns. Only YIN for now; the spec id names it so
 * that another detector can be added without silently changing features.
 *
 * <p>Why YIN: it is the algorithm of librosa's {@code yin}/{@code pyin} reference, and its cumulative
 * mean normalised difference gives a voicing probability ({@code 1 - d'(tau)}) for free. On the 25 ms
 * frame (400 samples at 16 kHz) it finds pitch down to about 80 Hz (a lag of half the frame).
 * TarsosDSP 2.4's McLeod Pitch Method was tried and left out: its normalised square difference is 0/0
 * wherever both compared stretches of a frame are digital zeros (a click in silence, or quiet 16-bit
 * audio with zeros at both frame ends), and its peak picking then fails an {@code assert}, so it throws
 * whenever assertions are enabled; it also rejects everything below 80 Hz and uses a peak cutoff (0.97)
 * tuned for music.
 */
public enum PitchAlgorithm {
  YIN {
    @Override
    public PitchDetector newDetector(int sampleRateHz, int frameSamples) {
      return new YinPitch(sampleRateHz, frameSamples); // TarsosDSP's YIN, bit for bit, vectorised
    }
  };

  /** The lower-case name used in spec ids, e.g. {@code yin}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A fresh, stateful detector for one stream; TarsosDSP detectors reuse their buffers between calls. */
  public abstract PitchDetector newDetector(int sampleRateHz, int frameSamples);
}
