package dev.mmstream.streams.load;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.Face;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.Scene;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Feature records of the sizes live ingest publishes: a frame with a face (7 expressions, 256-d
 * embedding, box) and a 20-bin scene histogram (295 model columns), one second of audio (100 x 64 log-mel
 * + 100 x 3 prosody), a cue of a few 384-d tokens. Random values; a few variants are built once and
 * re-stamped per record, so the publisher spends its time encoding and sending, not drawing numbers.
 */
final class FeatureRecords {
  static final int FRAME_MS = 200;
  static final int CHUNK_MS = 1000;
  static final int CUE_EVERY_MS = 2000;
  private static final int VARIANTS = 8;

  private final List<FrameFeatures> frames = new ArrayList<>();
  private final List<AudioFeatures> chunks = new ArrayList<>();
  private final List<TokenFeatures> cues = new ArrayList<>();

  FeatureRecords(String videoSpec, String audioSpec, String textSpec, long seed) {
    Random rnd = new Random(seed);
    for (int v = 0; v < VARIANTS; v++) {
      var face = new Face(rnd.nextFloat(), floats(rnd, 4), floats(rnd, 7), floats(rnd, 256));
      var scene = new Scene(floats(rnd, 20), rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat(), false);
      frames.add(new FrameFeatures("", 0L, 0L, videoSpec, 640, 360, 1, face, scene));
      chunks.add(new AudioFeatures("", 0L, 10, 25, 16000, audioSpec, matrix(rnd, 100, 64), matrix(rnd, 100, 3)));
      int tokens = 4 + rnd.nextInt(6);
      cues.add(new TokenFeatures("", 0, 0L, 0L, "synthetic cue", textSpec,
          new ArrayList<>(Collections.nCopies(tokens, "word")), new ArrayList<>(Collections.nCopies(tokens, 0L)),
          matrix(rnd, tokens, 384)));
    }
  }

  /** Frame {@code index} of a stream (pts = index x 200 ms). */
  FrameFeatures frame(String streamId, long index) {
    FrameFeatures f = frames.get((int) (index % VARIANTS));
    f.setStreamId(streamId);
    f.setPtsMs(index * FRAME_MS);
    f.setFrameIndex(index);
    return f;
  }

  /** Audio chunk {@code index}: media [index s, index + 1 s). */
  AudioFeatures chunk(String streamId, long index) {
    AudioFeatures a = chunks.get((int) (index % VARIANTS));
    a.setStreamId(streamId);
    a.setStartMs(index * CHUNK_MS);
    return a;
  }

  /** Cue {@code index}: 1.2 s of speech starting 200 ms into its 2 s slot, tokens spread over it. */
  TokenFeatures cue(String streamId, int index) {
    TokenFeatures t = cues.get(index % VARIANTS);
    long start = (long) index * CUE_EVERY_MS + 200;
    long end = start + 1200;
    t.setStreamId(streamId);
    t.setCueIndex(index);
    t.setCueStartMs(start);
    t.setCueEndMs(end);
    List<Long> times = t.getTokenTimesMs();
    for (int i = 0; i < times.size(); i++) {
      times.set(i, start + (end - start) * i / times.size());
    }
    return t;
  }

  static long cueEndMs(int index) {
    return (long) index * CUE_EVERY_MS + 1400;
  }

  private static List<Float> floats(Random rnd, int n) {
    var values = new ArrayList<Float>(n);
    for (int i = 0; i < n; i++) {
      values.add((float) rnd.nextGaussian());
    }
    return values;
  }

  private static Matrix matrix(Random rnd, int rows, int cols) {
    return new Matrix(rows, cols, floats(rnd, rows * cols));
  }
}
