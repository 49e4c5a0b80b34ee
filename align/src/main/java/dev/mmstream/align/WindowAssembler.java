package dev.mmstream.align;

import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns a stream's feature records and one window's bounds into model inputs: the frames, pooled
 * audio steps and tokens whose times fall inside the window, in time order, evenly subsampled to the
 * spec's maximum lengths. Matrices hold only real steps; a modality with nothing in the window has 0
 * rows (the model masks it). Pure and deterministic: extract and the streams app share it, extract from
 * Avro records, serving from the rows each record was reduced to once ({@link FeatureRows}).
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

  /**
   * The window as a dataset record; see {@link #assemble(String, Task, StreamRows, WindowBounds)}.
   *
   * @throws MalformedFeaturesException when records disagree on shapes or spec ids, or hold NaN/Inf
   */
  public ModelWindow assemble(String streamId, Task task, StreamFeatures features, WindowBounds window) {
    return assemble(streamId, task, StreamRows.of(features), window).toModelWindow();
  }

  /** @throws MalformedFeaturesException when records disagree on shapes or spec ids, or hold NaN/Inf */
  public AssembledWindow assemble(String streamId, Task task, StreamRows features, WindowBounds window) {
    var specIds = new TreeMap<String, String>();
    specIds.put("window", spec.specId());

    var frames = features.frames().stream()
        .filter(f -> window.contains(f.ptsMs()))
        .sorted(Comparator.comparingLong(FeatureRows.Frame::ptsMs))
        .toList();
    putSpec(specIds, "video", frames, FeatureRows.Frame::specId);
    var videoRows = EvenSubsample.of(frames, spec.maxVideoFrames()).stream().map(FeatureRows.Frame::vector).toList();

    var chunks = features.audio().stream()
        .filter(a -> overlaps(a.startMs(), a.endMs(), window))
        .sorted(Comparator.comparingLong(FeatureRows.Audio::startMs))
        .toList();
    var audioRows = EvenSubsample.of(AudioStepPooler.pool(chunks, window, spec.audioStepMs()), spec.maxAudioSteps());
    putSpec(specIds, "audio", audioRows.isEmpty() ? List.of() : chunks, FeatureRows.Audio::specId);

    var cues = features.tokens().stream()
        .sorted(Comparator.comparingLong(FeatureRows.Tokens::cueStartMs))
        .toList();
    var tokenRows = tokensInside(cues, window);
    putSpec(specIds, "text", tokenRows.isEmpty() ? List.of() : cues.stream()
        .filter(c -> overlaps(c.cueStartMs(), c.cueEndMs() + 1, window)).toList(), FeatureRows.Tokens::specId);

    return new AssembledWindow(streamId, task, window,
        block("text", EvenSubsample.of(tokenRows, spec.maxTextTokens()), TEXT_DIM, window),
        block("audio", audioRows, -1, window),
        block("video", videoRows, -1, window),
        specIds);
  }

  private static List<float[]> tokensInside(List<FeatureRows.Tokens> cues, WindowBounds window) {
    var rows = new ArrayList<float[]>();
    for (FeatureRows.Tokens cue : cues) {
      long[] times = cue.timesMs();
      for (int t = 0; t < times.length; t++) {
        if (window.contains(times[t])) {
          rows.add(Arrays.copyOfRange(cue.states(), t * TEXT_DIM, (t + 1) * TEXT_DIM));
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

  private static AssembledWindow.Block block(String modality, List<float[]> rows, int expectedCols, WindowBounds window) {
    int cols = rows.isEmpty() ? Math.max(expectedCols, 0) : rows.get(0).length;
    float[] values = new float[rows.size() * cols];
    int at = 0;
    for (float[] row : rows) {
      if (row.length != cols) {
        throw new MalformedFeaturesException(modality + " rows have different lengths (" + row.length + " vs " + cols + ")");
      }
      for (float v : row) {
        if (!Float.isFinite(v)) {
          throw new MalformedFeaturesException(
              modality + " features in window [" + window.startMs() + ", " + window.endMs() + ") ms hold " + v);
        }
        values[at++] = v;
      }
    }
    return new AssembledWindow.Block(rows.size(), cols, values);
  }
}
