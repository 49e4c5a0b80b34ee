package dev.mmstream.ingest.audio;

import java.util.Objects;

/**
 * Parameters of the log-mel + prosody featurizer; {@link #specId()} is stamped on every record.
 *
 * <p>Fixed by version 1 (not parameters): periodic Hann window, FFT size = window length, power
 * spectrum, Slaney mel scale with Slaney area normalisation (librosa's defaults), natural log with
 * a floor of {@value LogMelSpectrum#MEL_FLOOR}, energy in dBFS with a floor of {@value
 * ProsodyAnalyzer#ENERGY_FLOOR_DBFS}. {@code framesPerRecord} only chunks the output and is not part of
 * the spec id: it changes no feature value.
 *
 * @param sampleRateHz PCM sample rate (the decoder resamples to it)
 * @param windowMs analysis window; must be a whole, even number of samples
 * @param hopMs frame hop; a whole number of samples, at most the window
 * @param mels number of mel bands
 * @param fMinHz lowest mel band edge
 * @param fMaxHz highest mel band edge, at most the Nyquist frequency
 * @param framesPerRecord frames per {@code AudioFeatures} record (100 x 10 ms = 1 s)
 * @param pitch the TarsosDSP pitch detector
 */
public record AudioSpec(
    int sampleRateHz, int windowMs, int hopMs, int mels, int fMinHz, int fMaxHz, int framesPerRecord,
    PitchAlgorithm pitch) {

  /** Name and version in the spec id; bump the version whenever a feature value would change. */
  public static final String NAME = "audio.logmel-prosody@v1";

  public AudioSpec {
    Objects.requireNonNull(pitch, "pitch: choose a PitchAlgorithm (YIN is the default)");
    require(sampleRateHz > 0, "sampleRateHz", sampleRateHz, "must be > 0 (16000 by default)");
    require(windowMs > 0, "windowMs", windowMs, "must be > 0 (25 by default)");
    require(hopMs > 0 && hopMs <= windowMs, "hopMs", hopMs, "must be in 1.." + windowMs + " (the window)");
    require((long) sampleRateHz * windowMs % 1000 == 0 && sampleRateHz * (long) windowMs / 1000 % 2 == 0,
        "windowMs", windowMs, "must span a whole, even number of samples at " + sampleRateHz + " Hz");
    require((long) sampleRateHz * hopMs % 1000 == 0,
        "hopMs", hopMs, "must span a whole number of samples at " + sampleRateHz + " Hz");
    require(mels > 0, "mels", mels, "must be > 0 (64 by default)");
    require(fMinHz >= 0 && fMinHz < fMaxHz, "fMinHz", fMinHz, "must be in 0.." + (fMaxHz - 1) + " (below fMaxHz)");
    require(2L * fMaxHz <= sampleRateHz, "fMaxHz", fMaxHz, "must be at most the Nyquist frequency " + sampleRateHz / 2);
    require(framesPerRecord > 0, "framesPerRecord", framesPerRecord, "must be > 0 (100 = 1 s by default)");
  }

  /** 16 kHz, 25 ms / 10 ms, 64 mels over 0-8000 Hz, 100 frames per record, YIN. */
  public static AudioSpec defaults() {
    return new AudioSpec(16000, 25, 10, 64, 0, 8000, 100, PitchAlgorithm.YIN);
  }

  public AudioSpec withFramesPerRecord(int frames) {
    return new AudioSpec(sampleRateHz, windowMs, hopMs, mels, fMinHz, fMaxHz, frames, pitch);
  }

  public int windowSamples() {
    return sampleRateHz * windowMs / 1000;
  }

  public int hopSamples() {
    return sampleRateHz * hopMs / 1000;
  }

  /** E.g. {@code audio.logmel-prosody@v1(sr=16000,win=400,hop=160,mels=64,fmin=0,fmax=8000,pitch=yin)}. */
  public String specId() {
    return NAME + "(sr=" + sampleRateHz + ",win=" + windowSamples() + ",hop=" + hopSamples() + ",mels=" + mels
        + ",fmin=" + fMinHz + ",fmax=" + fMaxHz + ",pitch=" + pitch.id() + ")";
  }

  private static void require(boolean ok, String field, long value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("AudioSpec." + field + " = " + value + ": " + rule);
    }
  }
}
