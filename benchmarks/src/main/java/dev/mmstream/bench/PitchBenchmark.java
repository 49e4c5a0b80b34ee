package dev.mmstream.bench;

import be.tarsos.dsp.pitch.PitchDetector;
import be.tarsos.dsp.pitch.Yin;
import dev.mmstream.ingest.audio.PitchAlgorithm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * YIN on one 25 ms frame (400 samples at 16 kHz): the prosody featurizer's detector against TarsosDSP's
 * own {@code Yin}, the reference it reproduces bit for bit, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PitchBenchmark {
  private static final int RATE = 16_000;
  private static final int FRAME = 400;

  private final float[] frame = new float[FRAME];
  private PitchDetector ours;
  private PitchDetector tarsos;

  /** A voiced frame (220 Hz with a harmonic, a little noise), so every step of YIN runs. */
  @Setup
  public void setUp() {
    var random = new Random(42);
    for (int i = 0; i < FRAME; i++) {
      double t = i / (double) RATE;
      frame[i] = (float) (0.4 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(4 * Math.PI * 220 * t)
          + 0.01 * random.nextGaussian());
    }
    ours = PitchAlgorithm.YIN.newDetector(RATE, FRAME);
    tarsos = new Yin(RATE, FRAME);
  }

  @Benchmark
  public float ours() {
    return ours.getPitch(frame).getPitch();
  }

  @Benchmark
  public float tarsosDspReference() {
    return tarsos.getPitch(frame).getPitch();
  }
}
