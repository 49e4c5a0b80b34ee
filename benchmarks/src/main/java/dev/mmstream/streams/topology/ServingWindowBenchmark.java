package dev.mmstream.streams.topology;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.FeatureRows;
import dev.mmstream.align.StreamRows;
import dev.mmstream.align.WindowAssembler;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.align.WindowSpec;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.Face;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.Scene;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.TokenFeatures;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelContract;
import dev.mmstream.streams.inference.OnnxFusionModel;
import dev.mmstream.streams.inference.ScoreOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The streams app's own work per emotion window against the model's, in one run: {@code appPerWindow} is
 * what one window of one live stream costs the app outside Kafka (decoding that second's records from Avro
 * and reducing them to rows: 5 frames, 1 audio chunk, half a cue; assembling the 4 s window; writing it to
 * the ready store), {@code modelBatch1} and {@code modelBatch16PerWindow} the model on that
 * window. Run with {@code -prof gc} for the allocation per window. Kafka's own share (consumer, producer,
 * transactions, RocksDB) is not in it: the load harness measures the whole.
 *
 * <p>Run: {@code ./mmstream bench ingest --jmh}, or {@code org.openjdk.jmh.Main ServingWindow -prof gc
 * -p model=work/bench/emotion-realistic.onnx}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Djava.io.tmpdir=work/tmp")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ServingWindowBenchmark {
  private static final AvroSerde<FrameFeatures> FRAMES = AvroSerde.of(FrameFeatures.class);
  private static final AvroSerde<AudioFeatures> AUDIO = AvroSerde.of(AudioFeatures.class);
  private static final AvroSerde<TokenFeatures> TOKENS = AvroSerde.of(TokenFeatures.class);
  private static final int BATCH = 16;

  @Param("work/bench/emotion-realistic.onnx")
  public String model;

  private OnnxFusionModel onnx;
  private final WindowAssembler assembler = new WindowAssembler(WindowSpec.emotion());
  private final List<byte[]> frameBytes = new ArrayList<>();
  private byte[] audioBytes;
  private byte[] cueBytes;
  private final List<FeatureRows.Frame> frames = new ArrayList<>();
  private final List<FeatureRows.Audio> audio = new ArrayList<>();
  private final List<FeatureRows.Tokens> tokens = new ArrayList<>();
  private List<AssembledWindow> one;
  private List<AssembledWindow> batch;
  private int window;
  private long readyBytes;

  @Setup(Level.Trial)
  public void setUp() {
    onnx = OnnxFusionModel.load(Path.of(model), new InferenceSettings(Device.CPU, 1, 64));
    ModelContract c = onnx.contract();
    Random rnd = new Random(7);
    for (int i = 0; i < 5; i++) {
      frameBytes.add(FRAMES.encode(new FrameFeatures("bench", i * 200L, (long) i, c.specFor("video"), 640, 360, 1,
          new Face(0.9f, floats(rnd, 4), floats(rnd, 7), floats(rnd, 256)),
          new Scene(floats(rnd, 20), 0.5f, 0.1f, 0.2f, 0.3f, false))));
    }
    audioBytes = AUDIO.encode(new AudioFeatures("bench", 0L, 10, 25, 16000, c.specFor("audio"),
        new Matrix(100, 64, floats(rnd, 6400)), new Matrix(100, 3, floats(rnd, 300))));
    cueBytes = TOKENS.encode(new TokenFeatures("bench", 0, 200L, 1400L, "a synthetic cue", c.specFor("text"),
        new ArrayList<>(Collections.nCopies(6, "word")), List.of(200L, 400L, 600L, 800L, 1000L, 1200L),
        new Matrix(6, 384, floats(rnd, 6 * 384))));
    for (int second = 0; second < 6; second++) {
      arrive(second);
    }
    window = 2; // the next second to arrive is 6: windows [3 s, 7 s), [4 s, 8 s), ...
    one = List.of(appPerWindow());
    batch = Collections.nCopies(BATCH, one.get(0));
    if (!(onnx.score(one).get(0) instanceof ScoreOutcome.Scored)) {
      throw new IllegalStateException("the benchmark window does not fit " + model + ": " + onnx.score(one).get(0));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    onnx.close();
  }

  /** One second of one stream arrives and its window closes: the app's own work per window. */
  @Benchmark
  public AssembledWindow appPerWindow() {
    int second = window++;
    arrive(second + 4);
    long start = (second + 1) * 1000L;
    long end = start + 4000;
    var rows = new StreamRows(inside(frames, start, end), inside(audio, start - 2000, end), inside(tokens, start - 30_000, end));
    AssembledWindow assembled = assembler.assemble("bench", Task.EMOTION, rows, new WindowBounds(start, end));
    readyBytes += WindowCodec.encode(assembled).length; // a field write: the encoding cannot be optimised away
    return assembled;
  }

  /** Its parts: one second's records decoded from Avro and reduced to rows... */
  @Benchmark
  public int decodeOneSecond() {
    arrive(window++ + 4);
    return frames.size();
  }

  /** ... a 4 s window assembled from the buffered rows ... */
  @Benchmark
  public AssembledWindow assembleWindow() {
    var rows = new StreamRows(inside(frames, 1000, 5000), inside(audio, -1000, 5000), inside(tokens, -29_000, 5000));
    return assembler.assemble("bench", Task.EMOTION, rows, new WindowBounds(1000, 5000));
  }

  /** ... and the ready store's copy of it: written (what the app does since it keeps waiting windows in memory) ... */
  @Benchmark
  public byte[] readyStoreWrite() {
    return WindowCodec.encode(one.get(0));
  }

  /** ... against written and read back (what it did before). */
  @Benchmark
  public AssembledWindow readyStoreRoundTrip() {
    return WindowCodec.decode(WindowCodec.encode(one.get(0)));
  }

  @Benchmark
  public List<ScoreOutcome> modelBatch1() {
    return onnx.score(one);
  }

  /** Per window: divide by 16. */
  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
  public List<ScoreOutcome> modelBatch16PerWindow() {
    return onnx.score(batch);
  }

  /** Decodes and reduces one second's records at media second {@code s}, dropping rows older than 40 s. */
  private void arrive(int s) {
    for (int i = 0; i < frameBytes.size(); i++) {
      FrameFeatures f = FRAMES.decode("bench", frameBytes.get(i));
      f.setPtsMs(s * 1000L + i * 200L);
      frames.add(FeatureRows.Frame.of(f));
    }
    AudioFeatures a = AUDIO.decode("bench", audioBytes);
    a.setStartMs(s * 1000L);
    audio.add(FeatureRows.Audio.of(a));
    if (s % 2 == 0) {
      TokenFeatures t = TOKENS.decode("bench", cueBytes);
      long cueStart = s * 1000L + 200;
      t.setCueStartMs(cueStart);
      t.setCueEndMs(cueStart + 1200);
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        times.add(cueStart + 200L * i);
      }
      t.setTokenTimesMs(times);
      tokens.add(FeatureRows.Tokens.of(t));
    }
    long keepFrom = (s - 40) * 1000L;
    frames.removeIf(f -> f.ptsMs() < keepFrom);
    audio.removeIf(x -> x.startMs() < keepFrom);
    tokens.removeIf(x -> x.cueStartMs() < keepFrom);
  }

  /** The rows starting in [fromMs, toMs), as the feature buffer's read selects them. */
  private static <R extends FeatureRows> List<R> inside(List<R> rows, long fromMs, long toMs) {
    List<R> selected = new ArrayList<>();
    for (R r : rows) {
      long t = startMs(r);
      if (t >= fromMs && t < toMs) {
        selected.add(r);
      }
    }
    return selected;
  }

  private static long startMs(FeatureRows r) {
    if (r instanceof FeatureRows.Frame f) {
      return f.ptsMs();
    }
    return r instanceof FeatureRows.Audio a ? a.startMs() : ((FeatureRows.Tokens) r).cueStartMs();
  }

  private static List<Float> floats(Random rnd, int n) {
    List<Float> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add((float) rnd.nextGaussian());
    }
    return values;
  }
}
