package dev.mmstream.bench;

import dev.mmstream.ingest.audio.AudioFeaturizer;
import dev.mmstream.ingest.audio.AudioSpec;
import dev.mmstream.schema.v1.AudioFeatures;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One second of 16 kHz audio through the log-mel + prosody featurizer (100 frames: FFT, mel bank, YIN).
 * Run: {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main AudioFeaturizer -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AudioFeaturizerBenchmark {
  @Param({"220"})
  double pitchHz;

  @Param("42")
  long seed;

  private float[] pcm;

  /** A voiced-like tone with its first harmonics plus a little noise, so YIN finds a pitch in every frame. */
  @Setup
  public void setUp() {
    var random = new Random(seed);
    pcm = new float[16_000];
    for (int i = 0; i < pcm.length; i++) {
      double t = i / 16_000.0;
      pcm[i] = (float) (0.4 * Math.sin(2 * Math.PI * pitchHz * t) + 0.2 * Math.sin(4 * Math.PI * pitchHz * t)
          + 0.01 * random.nextGaussian());
    }
  }

  @Benchmark
  public List<AudioFeatures> oneSecond() {
    var featurizer = new AudioFeaturizer("bench", AudioSpec.defaults());
    List<AudioFeatures> records = featurizer.accept(pcm, 0, pcm.length);
    return records.isEmpty() ? featurizer.flush() : records; // returned, so never dead code
  }
}
