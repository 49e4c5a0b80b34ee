package dev.mmstream.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.Matrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioPoolingTest {
  private static final int MELS = 64;
  private static final int PITCH = MELS + ProsodyAnalyzer.PITCH;
  private static final int VOICING = MELS + ProsodyAnalyzer.VOICING;
  private static final int ENERGY = MELS + ProsodyAnalyzer.ENERGY;

  @Test
  void twoAndAHalfSecondsOfToneGive25StepsOf67() {
    final float[] pcm = new float[40_000];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16000));
    }
    final List<AudioFeatures> records = Frames.featurize(pcm, AudioSpec.defaults(), 0);
    final float[][] frames = Frames.logmel(records);

    final float[][] steps = AudioPooling.meanPool(records, 100);

    assertThat(steps).hasNumberOfRows(25);
    assertThat(steps[0]).hasSize(67);
    for (int m = 0; m < MELS; m++) {
      double mean = 0;
      for (int f = 120; f < 130; f++) {
        mean += frames[f][m] / 10.0;
      }
      assertThat(steps[12][m]).as("band %d of step 12", m).isCloseTo((float) mean, within(1e-4f));
    }
    assertThat(steps[12][PITCH]).isCloseTo((float) Math.log1p(440), within(1e-3f));
    assertThat(steps[12][VOICING]).isGreaterThan(0.95f);
    assertThat(steps[12][ENERGY]).isCloseTo(-9.03f, within(0.01f));    // 0.5 amplitude sine
  }

  @Test
  void pitchIsAveragedOverVoicedFramesOnlyAndEnergyInThePowerDomain() {
    // One 40 ms step: pitch 0, 100, 0, 300 Hz; energy -10 dBFS in one frame, the floor elsewhere.
    final AudioFeatures record = record(0, new float[][] {
        {0f, 0f, -100f}, {100f, 0.9f, -10f}, {0f, 0f, -100f}, {300f, 0.8f, -100f}});

    final float[][] steps = AudioPooling.meanPool(List.of(record), 40);

    assertThat(steps).hasNumberOfRows(1);
    assertThat(steps[0][PITCH]).isCloseTo((float) ((Math.log1p(100) + Math.log1p(300)) / 2), within(1e-6f));
    assertThat(steps[0][VOICING]).isCloseTo(0.425f, within(1e-6f));
    assertThat(steps[0][ENERGY]).isCloseTo((float) (10 * Math.log10((0.1 + 3e-10) / 4)), within(1e-4f));
  }

  @Test
  void stepsSpanRecordBoundariesAndTheLastStepAveragesWhatItHas() {
    final List<AudioFeatures> records = List.of(record(0, voiced(3, 200f)), record(30, voiced(2, 400f)));

    final float[][] steps = AudioPooling.meanPool(records, 20);

    assertThat(steps).hasNumberOfRows(3);
    assertThat(steps[1][PITCH]).isCloseTo((float) ((Math.log1p(200) + Math.log1p(400)) / 2), within(1e-6f));
    assertThat(steps[2][PITCH]).isCloseTo((float) Math.log1p(400), within(1e-6f));
  }

  @Test
  void rejectsGapsAndStepsThatAreNotWholeHops() {
    final List<AudioFeatures> gap = List.of(record(0, voiced(3, 200f)), record(40, voiced(2, 200f)));

    assertThatThrownBy(() -> AudioPooling.meanPool(gap, 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("record starts at 40 ms, expected 30 ms");
    assertThatThrownBy(() -> AudioPooling.meanPool(gap.subList(0, 1), 25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stepMs = 25: must be a positive multiple of the hop (10 ms)");
  }

  @Test
  void noRecordsGiveNoSteps() {
    assertThat(AudioPooling.meanPool(List.of(), 100)).isEmpty();
  }

  private static float[][] voiced(int frames, float hz) {
    final float[][] rows = new float[frames][];
    for (int i = 0; i < frames; i++) {
      rows[i] = new float[] {hz, 1f, -20f};
    }
    return rows;
  }

  private static AudioFeatures record(long startMs, float[][] prosody) {
    final List<Float> pros = new ArrayList<>();
    for (float[] row : prosody) {
      for (float v : row) {
        pros.add(v);
      }
    }
    return AudioFeatures.newBuilder()
        .setStreamId("s1").setStartMs(startMs).setHopMs(10).setWindowMs(25).setSampleRateHz(16000)
        .setSpecId(AudioSpec.defaults().specId())
        .setLogmel(new Matrix(prosody.length, MELS, new ArrayList<>(Collections.nCopies(prosody.length * MELS, -5f))))
        .setProsody(new Matrix(prosody.length, 3, pros))
        .build();
  }
}
