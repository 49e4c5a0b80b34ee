package dev.mmstream.streams.inference;

import dev.mmstream.schema.v1.DeadLetterReason;

/** The result of scoring one window. */
public sealed interface ScoreOutcome {
  /**
   * Probabilities per label (the order of {@code model.labels()}) and the mean GMU gate per fused input
   * (the order of {@code model.gateNames()}; an absent modality's gate is 0), with the contract of the
   * model that produced them (name + version for the prediction).
   */
  record Scored(float[] probs, float[] gates, ModelContract model) implements ScoreOutcome {}

  /**
   * The window cannot be scored: it goes to the dead letters with this reason (SPEC_MISMATCH, BAD_SHAPE
   * or INFERENCE_FAILED) and a detail that says what was wrong.
   */
  record Rejected(DeadLetterReason reason, String detail) implements ScoreOutcome {}
}
