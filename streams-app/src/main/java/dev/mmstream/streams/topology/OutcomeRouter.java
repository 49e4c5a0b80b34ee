package dev.mmstream.streams.topology;

import dev.mmstream.schema.v1.Task;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The one place outcomes leave the pipeline: predictions to their task's topic, dead letters to theirs, each
 * counted in the metrics on the way.
 */
final class OutcomeRouter implements Processor<String, Flow, String, Outcome> {
  private final AlignerMetrics metrics;
  private ProcessorContext<String, Outcome> context;

  OutcomeRouter(AlignerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Outcome> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Flow> record) {
    if (record.value() instanceof Outcome.Predicted p) {
      var prediction = p.prediction();
      metrics.windowScored(Math.max(0, prediction.getPredictedAtMs() - prediction.getWindowClosedAtMs()));
      context.forward(record.withValue(p), p.task() == Task.GENRE ? Names.GENRE_PREDICTIONS : Names.EMOTION_PREDICTIONS);
    } else if (record.value() instanceof Outcome.DeadLettered d) {
      metrics.deadLetter(d.reason());
      context.forward(record.withValue(d), Names.DEAD_LETTERS);
    } else {
      throw new IllegalStateException("the router takes outcomes only, got " + record.value().getClass().getSimpleName());
    }
  }
}
