package dev.mmstream.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.v1.AudioFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Featurizes 60 s of audio in 1024-sample pieces and prints the time (best of 3 after 2 warm-ups) to
 * the test output; it asserts the output, not the time, which depends on the machine.
 */
class AudioFeaturizerThroughputTest {
  @Test
  void sixtySecondsGive6000FramesIn60Records() {
    final float[] pcm = new float[60 * 16000];
    final float[] speech = GoldenAudio.load("speech").pcm();
    final SplittableRandom noise = new SplittableRandom(3);
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = speech[i % speech.length] + (float) (1e-3 * (noise.nextDouble() - 0.5));
    }

    final long[] nanos = new long[5];
    List<AudioFeatures> records = List.of();
    for (int run = 0; run < nanos.length; run++) {
      final long start = System.nanoTime();
      records = featurize(pcm);
      nanos[run] = System.nanoTime() - start;
    }

    assertThat(records).hasSize(60).allSatisfy(r -> assertThat(r.getLogmel().getRows()).isEqualTo(100));
    final long[] timed = Arrays.copyOfRange(nanos, 2, nanos.length);
    Arrays.sort(timed);
    System.out.printf("audio featurizer: 60 s of 16 kHz audio in %.1f ms (best of 3), median %.1f ms, first"
        + " (cold) run %.1f ms%n", timed[0] / 1e6, timed[1] / 1e6, nanos[0] / 1e6);
  }

  private static List<AudioFeatures> featurize(float[] pcm) {
    final AudioFeaturizer featurizer = new AudioFeaturizer("bench", AudioSpec.defaults());
    final List<AudioFeatures> records = new ArrayList<>();
    for (int pos = 0; pos < pcm.length; pos += 1024) {
      records.addAll(featurizer.accept(pcm, pos, Math.min(1024, pcm.length - pos)));
    }
    records.addAll(featurizer.flush());
    return records;
  }
}
