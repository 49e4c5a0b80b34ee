package dev.mmstream.align;

import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns a stream's feature records and one window's bounds into model inputs: the frames, pooled
 * audio steps and tokens whose times fall inside the window, in time order, evenly subsampled to the
 * spec's maximum lengths. Matrices hold only real steps; a modality with nothing in the window has 0
 * rows (the model masks it). Pure and deterministic: extract and the streams app share it.
 */
public final class WindowAssembler {
  static final int TEXT_DIM = 384;

  private final WindowSpec spec;

  public WindowAssembler(WindowSpec spec) {
    this.spec = spec;
  }

  public WindowSpec spec() {
    return spec;
  }

  /** Columns of a pooled audio step: the log-mel bands, then log pitch, voicing and energy. */
  public static int audioDimension(int melBands) {
    return melBands + AudioStepPooler.PROSODY;
  }

  /** Columns of a frame vector, see {@link FrameVectorizer}. */
  public static int videoDimension(int histogramBins) {
    return FrameVectorizer.dimension(histogramBins);
  }

  /** Columns of a token row: MiniLM's hidden size. */
  public static int textDimension() {
    return TEXT_DIM;
  }

  /** @throws MalformedFeaturesException when records disagree on shapes or spec ids, or hold NaN/Inf */
  public ModelWindow assemble(String streamId, Task task, StreamFeatures features, WindowBounds window) {
    var specIds = new TreeMap<String, String>();
    specIds.put("window", spec.specId());

    var frames = features.frames().stream()
        .filter(f -> window.contains(f.getPtsMs()))
        .sorted(Comparator.comparingLong(FrameFeatures::getPtsMs))
        .toList();
    putSpec(specIds, "video", frames, FrameFeatures::getSpecId);
    var videoRows = EvenSubsample.of(frames, spec.maxVideoFrames()).stream().map(FrameVectorizer::vector).toList();

    var chunks = features.audio().stream()
        .filter(a -> overlaps(a.getStartMs(), a.getStartMs() + (long) a.getLogmel().getRows() * a.getHopMs(), window))
        .sorted(Comparator.comparingLong(a -> a.getStartMs()))
        .toList();
    var audioRows = EvenSubsample.of(AudioStepPooler.pool(chunks, window, spec.audioStepMs()), spec.maxAudioSteps());
    putSpec(specIds, "audio", audioRows.isEmpty() ? List.of() : chunks, a -> a.getSpecId());

    var cues = features.tokens().stream()
        .sorted(Comparator.comparingLong(TokenFeatures::getCueStartMs))
        .toList();
    var tokenRows = tokensInside(cues, window);
    putSpec(specIds, "text", tokenRows.isEmpty() ? List.of() : cues.stream()
        .filter(c -> overlaps(c.getCueStartMs(), c.getCueEndMs() + 1, window)).toList(), TokenFeatures::getSpecId);

    return ModelWindow.newBuilder()
        .setStreamId(streamId)
        .setTask(task)
        .setWindowStartMs(window.startMs())
        .setWindowEndMs(window.endMs())
        .setText(matrix("text", EvenSubsample.of(tokenRows, spec.maxTextTokens()), TEXT_DIM, window))
        .setAudio(matrix("audio", audioRows, -1, window))
        .setVideo(matrix("video", videoRows, -1, window))
        .setSpecIds(specIds)
        .build();
  }

  private static List<float[]> tokensInside(List<TokenFeatures> cues, WindowBounds window) {
    var rows = new ArrayList<float[]>();
    for (TokenFeatures cue : cues) {
      Matrix states = cue.getEmbeddings();
      List<Long> times = cue.getTokenTimesMs();
      if (states.getRows() != times.size() || states.getCols() != TEXT_DIM
          || states.getValues().size() != states.getRows() * TEXT_DIM) {
        throw new MalformedFeaturesException(
            "cue " + cue.getCueIndex() + " at " + cue.getCueStartMs() + " ms has " + times.size()
                + " token times for a " + states.getRows() + "x" + states.getCols() + " matrix (expected n x "
                + TEXT_DIM + ")");
      }
      for (int t = 0; t < times.size(); t++) {
        if (window.contains(times.get(t))) {
          float[] row = new float[TEXT_DIM];
          for (int c = 0; c < TEXT_DIM; c++) {
            row[c] = states.getValues().get(t * TEXT_DIM + c);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static boolean overlaps(long startMs, long endMs, WindowBounds window) {
    return startMs < window.endMs() && endMs > window.startMs();
  }

  private static <R> void putSpec(Map<String, String> specIds, String modality, List<R> records, Function<R, String> specOf) {
    var distinct = records.stream().map(specOf).distinct().toList();
    if (distinct.size() > 1) {
      throw new MalformedFeaturesException(modality + " records in one window carry different spec ids: " + distinct);
    }
    if (!distinct.isEmpty()) {
      specIds.put(modality, distinct.get(0));
    }
  }

  private static Matrix matrix(String modality, List<float[]> rows, int expectedCols, WindowBounds window) {
    int cols = rows.isEmpty() ? Math.max(expectedCols, 0) : rows.get(0).length;
    var values = new ArrayList<Float>(rows.size() * cols);
    for (float[] row : rows) {
      if (row.length != cols) {
        throw new MalformedFeaturesException(modality + " rows have different lengths (" + row.length + " vs " + cols + ")");
      }
      for (float v : row) {
        if (!Float.isFinite(v)) {
          throw new MalformedFeaturesException(
              modality + " features in window [" + window.startMs() + ", " + window.endMs() + ") ms hold " + v);
        }
        values.add(v);
      }
    }
    return new Matrix(rows.size(), cols, values);
  }
}
