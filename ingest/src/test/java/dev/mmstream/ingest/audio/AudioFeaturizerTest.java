package dev.mmstream.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmstream.schema.v1.AudioFeatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioFeaturizerTest {
  private static final AudioSpec SPEC = AudioSpec.defaults();
  private static final int SR = 16000;

  /** 3.7 s: the golden speech, then the chirp, then a noisy 220 Hz tone; not a multiple of anything. */
  private static float[] signal() {
    final float[] speech = GoldenAudio.load("speech").pcm();
    final float[] chirp = GoldenAudio.load("chirp").pcm();
    final float[] pcm = Arrays.copyOf(speech, 59_200);
    System.arraycopy(chirp, 0, pcm, speech.length, chirp.length);
    final SplittableRandom noise = new SplittableRandom(7);
    for (int i = speech.length + chirp.length; i < pcm.length; i++) {
      pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / SR) + 0.01 * (noise.nextDouble() - 0.5));
    }
    return pcm;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void recordsAreBitIdenticalHoweverTheInputIsSplit(long seed) {
    final float[] pcm = signal();
    final List<AudioFeatures> whole = Frames.featurize(pcm, SPEC, 0);

    final SplittableRandom random = new SplittableRandom(seed);
    final AudioFeaturizer featurizer = new AudioFeaturizer("s1", SPEC);
    final List<AudioFeatures> pieces = new ArrayList<>();
    for (int pos = 0; pos < pcm.length; ) {
      final int length = Math.min(pcm.length - pos, random.nextInt(0, 5000));   // 0-length pieces too
      pieces.addAll(featurizer.accept(pcm, pos, length));
      pos += length;
    }
    pieces.addAll(featurizer.flush());

    assertThat(whole).hasSize(4);
    assertThat(pieces).isEqualTo(whole);
    assertThat(pieces.stream().map(AudioFeaturizerTest::bytes).toList())
        .isEqualTo(whole.stream().map(AudioFeaturizerTest::bytes).toList());
  }

  @Test
  void fixedPiecesOf1024SamplesGiveTheSameRecordsAsOnePiece() {
    final float[] pcm = signal();
    final AudioFeaturizer featurizer = new AudioFeaturizer("s1", SPEC);
    final List<AudioFeatures> pieces = new ArrayList<>();
    for (int pos = 0; pos < pcm.length; pos += 1024) {
      pieces.addAll(featurizer.accept(pcm, pos, Math.min(1024, pcm.length - pos)));
    }
    pieces.addAll(featurizer.flush());

    assertThat(pieces).isEqualTo(Frames.featurize(pcm, SPEC, 0));
  }

  @Test
  void twoAndAHalfSecondsGive250FramesIn3Records() {
    final List<AudioFeatures> records = Frames.featurize(tone(2.5), SPEC, 0);

    // ceil(40000 / 160) frames: the last ones zero-padded, none dropped.
    assertThat(records).extracting(r -> r.getLogmel().getRows()).containsExactly(100, 100, 50);
    assertThat(records).extracting(r -> r.getProsody().getRows()).containsExactly(100, 100, 50);
    assertThat(records).allSatisfy(r -> {
      assertThat(r.getLogmel().getCols()).isEqualTo(64);
      assertThat(r.getLogmel().getValues()).hasSize(r.getLogmel().getRows() * 64);
      assertThat(r.getProsody().getCols()).isEqualTo(3);
      assertThat(r.getProsody().getValues()).hasSize(r.getProsody().getRows() * 3);
    });
  }

  @Test
  void aRecordIsEmittedByThePieceThatCompletesItsLastFrame() {
    final float[] pcm = tone(1.5);
    final AudioFeaturizer featurizer = new AudioFeaturizer("s1", SPEC);
    final int lastSampleOfFrame99 = 99 * 160 + 400;

    assertThat(featurizer.accept(pcm, 0, lastSampleOfFrame99 - 1)).isEmpty();
    assertThat(featurizer.accept(pcm, lastSampleOfFrame99 - 1, 1)).singleElement()
        .satisfies(r -> assertThat(r.getLogmel().getRows()).isEqualTo(100));
    assertThat(featurizer.accept(pcm, lastSampleOfFrame99, pcm.length - lastSampleOfFrame99)).isEmpty();
    assertThat(featurizer.flush()).singleElement()
        .satisfies(r -> assertThat(r.getLogmel().getRows()).isEqualTo(50));
  }

  @Test
  void edgeLengthsGiveCeilOfSamplesOverHopFrames() {
    assertThat(Frames.featurize(new float[0], SPEC, 0)).isEmpty();
    assertThat(Frames.featurize(new float[100], SPEC, 0)).singleElement()
        .satisfies(r -> assertThat(r.getLogmel().getRows()).isEqualTo(1));
    assertThat(Frames.featurize(tone(1.0), SPEC, 0)).singleElement()
        .satisfies(r -> assertThat(r.getLogmel().getRows()).isEqualTo(100));
  }

  @Test
  void recordKStartsAtStartPtsPlusKSeconds() {
    final List<AudioFeatures> records = Frames.featurize(tone(3.2), SPEC, 5_000);

    assertThat(records).extracting(AudioFeatures::getStartMs).containsExactly(5_000L, 6_000L, 7_000L, 8_000L);
    assertThat(records).allSatisfy(r -> {
      assertThat(r.getStreamId()).isEqualTo("s1");
      assertThat(r.getHopMs()).isEqualTo(10);
      assertThat(r.getWindowMs()).isEqualTo(25);
      assertThat(r.getSampleRateHz()).isEqualTo(16000);
      assertThat(r.getSpecId()).isEqualTo(SPEC.specId());
    });
  }

  @Test
  void silenceIsUnvoicedAtTheEnergyAndMelFloors() {
    final List<AudioFeatures> records = Frames.featurize(new float[24_000], SPEC, 0);

    for (float[] row : Frames.prosody(records)) {
      assertThat(row[ProsodyAnalyzer.PITCH]).isZero();
      assertThat(row[ProsodyAnalyzer.VOICING]).isZero();
      assertThat(row[ProsodyAnalyzer.ENERGY]).isEqualTo(-100f);
    }
    for (float[] row : Frames.logmel(records)) {
      assertThat(row).containsOnly((float) Math.log(1e-10));
    }
  }

  @Test
  void nanOrInfinityIsRejectedAndLeavesTheFeaturizerUnchanged() {
    final float[] pcm = tone(1.2);
    final float[] bad = pcm.clone();
    bad[16_100] = Float.NaN;
    final AudioFeaturizer featurizer = new AudioFeaturizer("cam-7", SPEC, 2_000);

    assertThat(featurizer.accept(pcm, 0, 16_000)).isEmpty();
    assertThatThrownBy(() -> featurizer.accept(bad, 16_000, 3_200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stream cam-7: sample 16100 (media time 3006 ms, index 16100 of this piece) is NaN")
        .hasMessageContaining("finite PCM");
    final float[] inf = {0f, Float.POSITIVE_INFINITY};
    assertThatThrownBy(() -> featurizer.accept(inf, 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is Infinity");

    final List<AudioFeatures> records = new ArrayList<>(featurizer.accept(pcm, 16_000, pcm.length - 16_000));
    records.addAll(featurizer.flush());
    final AudioFeaturizer clean = new AudioFeaturizer("cam-7", SPEC, 2_000);
    final List<AudioFeatures> expected = new ArrayList<>(clean.accept(pcm, 0, pcm.length));
    expected.addAll(clean.flush());
    assertThat(records).hasSize(2).isEqualTo(expected);
  }

  @Test
  void acceptAfterFlushIsAnError() {
    final AudioFeaturizer featurizer = new AudioFeaturizer("s1", SPEC);
    featurizer.flush();

    assertThatThrownBy(() -> featurizer.accept(new float[10], 0, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already flushed");
  }

  private static float[] tone(double seconds) {
    final float[] pcm = new float[(int) Math.round(seconds * SR)];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / SR));
    }
    return pcm;
  }

  private static ByteBuffer bytes(AudioFeatures record) {
    try {
      return record.toByteBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
