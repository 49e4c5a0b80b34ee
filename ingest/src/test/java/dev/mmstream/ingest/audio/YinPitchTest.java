package dev.mmstream.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.Yin;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our vectorisable YIN against TarsosDSP's own, on every 10 ms frame of real and synthetic signals. */
class YinPitchTest {
  private static final int RATE = 16_000;
  private static final int FRAME = 400;
  private static final int HOP = 160;

  static Stream<Arguments> signals() {
    Random random = new Random(7);
    float[] noise = new float[RATE];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (random.nextGaussian() * 0.1);
    }
    float[] clicks = new float[RATE]; // digital silence with isolated clicks: YIN's 0/0 corner
    for (int i = 1000; i < clicks.length; i += 1733) {
      clicks[i] = 0.9f;
    }
    return Stream.of(
        Arguments.of("speech", GoldenAudio.load("speech").pcm()),
        Arguments.of("chirp", GoldenAudio.load("chirp").pcm()),
        Arguments.of("tone", GoldenAudio.load("tone440").pcm()),
        Arguments.of("noise", noise),
        Arguments.of("clicks", clicks));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signals")
  void givesTarsosDspsResultBitForBit(String name, float[] pcm) {
    var ours = new YinPitch(RATE, FRAME);
    var tarsos = new Yin(RATE, FRAME);
    int frames = 0;
    int pitched = 0;
    for (int start = 0; start + FRAME <= pcm.length; start += HOP, frames++) {
      float[] frame = Arrays.copyOfRange(pcm, start, start + FRAME);
      PitchDetectionResult expected = copy(tarsos.getPitch(frame.clone()));
      PitchDetectionResult actual = ours.getPitch(frame);

      assertThat(Float.floatToIntBits(actual.getPitch())).as("%s frame %d pitch", name, frames)
          .isEqualTo(Float.floatToIntBits(expected.getPitch()));
      assertThat(Float.floatToIntBits(actual.getProbability())).as("%s frame %d probability", name, frames)
          .isEqualTo(Float.floatToIntBits(expected.getProbability()));
      assertThat(actual.isPitched()).as("%s frame %d pitched", name, frames).isEqualTo(expected.isPitched());
      pitched += actual.isPitched() ? 1 : 0;
    }
    assertThat(frames).isGreaterThan(50);
    if (!name.equals("noise") && !name.equals("clicks")) {
      assertThat(pitched).as("pitched frames of %s", name).isGreaterThan(frames / 4); // the comparison covers real pitches
    }
  }

  private static PitchDetectionResult copy(PitchDetectionResult r) {
    var c = new PitchDetectionResult();
    c.setPitch(r.getPitch());
    c.setProbability(r.getProbability());
    c.setPitched(r.isPitched());
    return c;
  }
}
