package dev.mmstream.streams.inference;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.Task;
import java.util.List;
import java.util.Optional;

/**
 * Scores assembled windows with the current model of their task. Implementations batch the windows
 * of one call into one inference run and must be safe to call from several stream threads.
 */
public interface WindowScorer {
  /** The contract of the current model for a task, or empty when no model serves it. */
  Optional<ModelContract> contract(Task task);

  /** One outcome per window, in the same order. */
  List<ScoreOutcome> score(Task task, List<AssembledWindow> windows);
}
