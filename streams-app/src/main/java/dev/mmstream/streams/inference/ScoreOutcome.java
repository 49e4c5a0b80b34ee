package dev.mmstream.streams.inference;

import dev.mmstream.schema.v1.DeadLetterReason;

/** The result of scoring one window. */
public sealed interface ScoreOutcome {
  /** Probabilities per label (model order) and mean gate per fused input (contract gate order). */
  record Scored(float[] probs, float[] gates, ModelContract model) implements ScoreOutcome {}

  /** The window cannot be scored: it goes to the dead letters with this reason. */
  record Rejected(DeadLetterReason reason, String detail) implements ScoreOutcome {}
}
