package dev.mmstream.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AudioSpecTest {
  @Test
  void defaultsRenderTheDocumentedSpecId() {
    final AudioSpec spec = AudioSpec.defaults();

    assertThat(spec.specId())
        .isEqualTo("audio.logmel-prosody@v1(sr=16000,win=400,hop=160,mels=64,fmin=0,fmax=8000,pitch=yin)");
    assertThat(spec.windowSamples()).isEqualTo(400);
    assertThat(spec.hopSamples()).isEqualTo(160);
    assertThat(spec.framesPerRecord()).isEqualTo(100);
  }

  @Test
  void specIdLeavesOutTheRecordChunkingWhichChangesNoFeature() {
    final AudioSpec spec = AudioSpec.defaults();

    assertThat(spec.withFramesPerRecord(50).specId()).isEqualTo(spec.specId());
  }

  @Test
  void rejectsAWindowThatIsNotAWholeEvenNumberOfSamples() {
    assertThatThrownBy(() -> new AudioSpec(22050, 25, 10, 64, 0, 8000, 100, PitchAlgorithm.YIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AudioSpec.windowMs = 25")
        .hasMessageContaining("whole, even number of samples at 22050 Hz");
  }

  @Test
  void rejectsAnFmaxAboveNyquist() {
    assertThatThrownBy(() -> new AudioSpec(16000, 25, 10, 64, 0, 9000, 100, PitchAlgorithm.YIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AudioSpec.fMaxHz = 9000")
        .hasMessageContaining("Nyquist frequency 8000");
  }

  @Test
  void rejectsAHopLongerThanTheWindowAndEmptyRecords() {
    assertThatThrownBy(() -> new AudioSpec(16000, 25, 30, 64, 0, 8000, 100, PitchAlgorithm.YIN))
        .hasMessageContaining("AudioSpec.hopMs = 30");
    assertThatThrownBy(() -> AudioSpec.defaults().withFramesPerRecord(0))
        .hasMessageContaining("AudioSpec.framesPerRecord = 0");
  }

  @Test
  void rejectsMoreMelBandsThanTheFftResolves() {
    final AudioSpec tooFine = new AudioSpec(16000, 25, 10, 256, 0, 8000, 100, PitchAlgorithm.YIN);

    assertThatThrownBy(() -> new AudioFeaturizer("s1", tooFine))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("falls between FFT bins: use fewer mels or a longer window");
  }
}
