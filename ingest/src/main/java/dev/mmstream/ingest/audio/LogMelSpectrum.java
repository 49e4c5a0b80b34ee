package dev.mmstream.ingest.audio;

import be.tarsos.dsp.util.fft.FFT;
import be.tarsos.dsp.util.fft.HannWindow;
import java.util.Arrays;

/**
 * One frame's log-mel energies: {@code ln(max(mel · |FFT(hann · x)|², 1e-10))}, with a periodic Hann
 * window, FFT size = frame length (no zero padding), the power spectrum and {@link MelFilterBank}.
 * This is {@code log(librosa.feature.melspectrogram(..., center=False))} with librosa's other defaults.
 * Amplitudes are not rescaled: a full-scale 1 kHz sine gives a peak band of about ln(1e4) ≈ 9 at 16 kHz;
 * digital silence gives the floor ln(1e-10) ≈ -23.03.
 */
final class LogMelSpectrum {
  static final double MEL_FLOOR = 1e-10;

  private final FFT fft;
  private final float[] window;
  private final MelFilterBank melBank;
  private final float[] spectrum;
  private final double[] power;
  private final double[] mel;

  LogMelSpectrum(AudioSpec spec) {
    final int n = spec.windowSamples();
    // TarsosDSP's window functions are symmetric (cos(2 pi i / (n - 1))); librosa and torchaudio use the
    // periodic Hann, which is the first n points of the symmetric window of length n + 1.
    this.window = Arrays.copyOf(new HannWindow().generateCurve(n + 1), n);
    this.fft = new FFT(n);
    this.melBank = new MelFilterBank(spec.sampleRateHz(), n, spec.mels(), spec.fMinHz(), spec.fMaxHz());
    this.spectrum = new float[n];
    this.power = new double[n / 2 + 1];
    this.mel = new double[spec.mels()];
  }

  /** Writes the frame's log-mel row into {@code out[offset, offset + mels)}; {@code frame} is not modified. */
  void compute(float[] frame, float[] out, int offset) {
    final int n = spectrum.length;
    for (int i = 0; i < n; i++) {
      spectrum[i] = frame[i] * window[i];
    }
    fft.forwardTransform(spectrum);
    // FloatFFT.realForward packing (n even): [Re0, Re(n/2), Re1, Im1, Re2, Im2, ...].
    power[0] = (double) spectrum[0] * spectrum[0];
    power[n / 2] = (double) spectrum[1] * spectrum[1];
    for (int k = 1; k < n / 2; k++) {
      final double re = spectrum[2 * k];
      final double im = spectrum[2 * k + 1];
      power[k] = re * re + im * im;
    }
    melBank.apply(power, mel);
    for (int m = 0; m < mel.length; m++) {
      out[offset + m] = (float) Math.log(Math.max(mel[m], MEL_FLOOR));
    }
  }
}
