package dev.mmstream.align;

import java.util.List;

/** A stream's feature records reduced to rows ({@link FeatureRows}), any order; the assembler selects by time. */
public record StreamRows(List<FeatureRows.Frame> frames, List<FeatureRows.Audio> audio, List<FeatureRows.Tokens> tokens) {
  public StreamRows {
    frames = List.copyOf(frames);
    audio = List.copyOf(audio);
    tokens = List.copyOf(tokens);
  }

  /** @throws MalformedFeaturesException when a record's shapes are inconsistent */
  public static StreamRows of(StreamFeatures features) {
    return new StreamRows(
        features.frames().stream().map(FeatureRows.Frame::of).toList(),
        features.audio().stream().map(FeatureRows.Audio::of).toList(),
        features.tokens().stream().map(FeatureRows.Tokens::of).toList());
  }
}
