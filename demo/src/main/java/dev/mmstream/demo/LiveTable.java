package dev.mmstream.demo;

import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.cli.PredictionFormat;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The terminal view: one line per stream with its latest window's top emotions, the modalities
 * present and the input that drove the decision; redrawn in place when the terminal supports it,
 * appended line by line otherwise (CI logs).
 */
final class LiveTable {
  private final PrintStream out;
  private final boolean redraw;
  private final Map<String, Prediction> latest = new TreeMap<>();
  private final Map<String, Integer> counts = new TreeMap<>();
  private int drawnLines;

  LiveTable(PrintStream out, boolean redraw) {
    this.out = out;
    this.redraw = redraw;
  }

  synchronized void accept(Prediction p) {
    String source = sourceOf(p.getStreamId());
    latest.put(source, p);
    counts.merge(source, 1, Integer::sum);
    if (!redraw) {
      out.println(line(p, counts.get(source)));
    }
  }

  /** The demo replays each source as streams {@code name/1}, {@code name/2}, ...: one row per source. */
  static String sourceOf(String streamId) {
    int slash = streamId.indexOf('/');
    return slash < 0 ? streamId : streamId.substring(0, slash);
  }

  synchronized void draw(String status) {
    if (!redraw) {
      return;
    }
    if (drawnLines > 0) {
      out.print("\033[" + drawnLines + "F\033[J");
    }
    out.println(status);
    latest.forEach((id, p) -> out.println(line(p, counts.get(id))));
    drawnLines = 1 + latest.size();
    out.flush();
  }

  synchronized Map<String, Integer> predictionsPerStream() {
    return Map.copyOf(counts);
  }

  static String line(Prediction p, int count) {
    int top = p.getTask() == Task.GENRE ? 4 : 3;
    return String.format(Locale.ROOT, "%-14s %-7s #%-4d %-44s [%-3s] driven by %s", p.getStreamId(),
        p.getTask().name().toLowerCase(Locale.ROOT), count, PredictionFormat.topLabels(p, top),
        PredictionFormat.modalities(p), PredictionFormat.driver(p));
  }
}
