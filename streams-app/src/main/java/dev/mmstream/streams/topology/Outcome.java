package dev.mmstream.streams.topology;

import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Task;

/** What a stage decided, for the router: a prediction of a task, or a dead letter with its reason. */
sealed interface Outcome extends Flow {
  record Predicted(Task task, Prediction prediction) implements Outcome {}

  record DeadLettered(DeadLetterReason reason, DeadLetter letter) implements Outcome {}
}
