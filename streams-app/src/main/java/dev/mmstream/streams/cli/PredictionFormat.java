package dev.mmstream.streams.cli;

import dev.mmstream.schema.v1.LabelScore;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.Prediction;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One prediction as a line a person reads: time, stream, top labels, modalities, what drove it. */
public final class PredictionFormat {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private PredictionFormat() {}

  static String line(Prediction p, int topLabels) {
    return String.format(Locale.ROOT, "%s  %-16s %-13s %-44s [%-5s] driven by %-11s %s v%s  %d ms",
        CLOCK.format(Instant.ofEpochMilli(p.getWindowEndMs())), p.getStreamId(), span(p), topLabels(p, topLabels),
        modalities(p), driver(p), p.getModelName(), p.getModelVersion(),
        Math.max(0, p.getPredictedAtMs() - p.getWindowClosedAtMs()));
  }

  /** The highest-scoring labels, e.g. {@code happy 0.82*  sad 0.10} ({@code *} = positive decision). */
  public static String topLabels(Prediction p, int count) {
    return p.getLabels().stream()
        .sorted(Comparator.comparing(LabelScore::getScore).reversed())
        .limit(count)
        .map(l -> String.format(Locale.ROOT, "%s %.2f%s", l.getLabel(), l.getScore(), l.getDecision() ? "*" : ""))
        .collect(Collectors.joining("  "));
  }

  /** Modalities present as letters: T, A, V, and a trailer's P (poster) and M (metadata). */
  public static String modalities(Prediction p) {
    return p.getModalitiesPresent().stream().map(PredictionFormat::letter).collect(Collectors.joining());
  }

  /** The fused input with the largest gate, e.g. {@code audio 0.53}. */
  public static String driver(Prediction p) {
    return p.getGates().entrySet().stream().max(Map.Entry.comparingByValue())
        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())).orElse("-");
  }

  private static String span(Prediction p) {
    return String.format(Locale.ROOT, "%s+%.0fs", CLOCK.format(Instant.ofEpochMilli(p.getWindowStartMs())),
        (p.getWindowEndMs() - p.getWindowStartMs()) / 1000.0);
  }

  private static String letter(Modality m) {
    return switch (m) {
      case TEXT -> "T";
      case AUDIO -> "A";
      case VIDEO -> "V";
      case POSTER -> "P";
      case METADATA -> "M";
      default -> "?";
    };
  }
}
