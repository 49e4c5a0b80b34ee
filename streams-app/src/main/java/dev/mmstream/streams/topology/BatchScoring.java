package dev.mmstream.streams.topology;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.deadletter.DeadLetters;
import dev.mmstream.streams.inference.ScoreOutcome;
import dev.mmstream.streams.inference.WindowScorer;
import dev.mmstream.streams.state.v1.ReadyWindow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores the closed windows waiting in the ready store, as few inference runs as possible: once the
 * oldest has waited the batch wait, or a full batch is there, all windows of one task that are ready go
 * into one batch (up to the batch limit). Predictions are forwarded in window order per stream; a window
 * the model cannot take goes to the dead letters. How many wait, and since when, is kept in memory and
 * read back from the store when the task starts (after a restart the store is the truth).
 */
final class BatchScoring {
  private static final AvroSerde<ModelWindow> DEAD_WINDOWS = AvroSerde.of(ModelWindow.class);

  private final ProcessorContext<String, Object> context;
  private final KeyValueStore<Bytes, ReadyWindow> ready;
  private final WindowScorer scorer;
  private final DeadLetters deadLetters;
  private final AlignerMetrics metrics;
  private final int maxBatch;
  private final long batchWaitMs;
  private int waiting;
  private long oldestClosedAtMs = Long.MAX_VALUE;

  BatchScoring(ProcessorContext<String, Object> context, KeyValueStore<Bytes, ReadyWindow> ready, WindowScorer scorer,
      DeadLetters deadLetters, AlignerMetrics metrics, int maxBatch, Duration batchWait) {
    this.context = context;
    this.ready = ready;
    this.scorer = scorer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.maxBatch = maxBatch;
    this.batchWaitMs = batchWait.toMillis();
    try (var it = ready.all()) {
      it.forEachRemaining(kv -> added(kv.value.getClosedAtWallMs()));
    }
  }

  /** A window closed at this wall-clock time was put into the ready store. */
  void added(long closedAtWallMs) {
    waiting++;
    oldestClosedAtMs = Math.min(oldestClosedAtMs, closedAtWallMs);
  }

  /** The punctuator: scores what waits once a batch is full or the oldest window has waited long enough. */
  void scoreIfDue(long nowMs) {
    if (waiting > 0 && (waiting >= maxBatch || nowMs - oldestClosedAtMs >= batchWaitMs)) {
      scoreReady();
    }
  }

  void scoreReady() {
    waiting = 0;
    oldestClosedAtMs = Long.MAX_VALUE;
    Map<Task, List<Pending>> byTask = new EnumMap<>(Task.class);
    try (var it = ready.all()) {
      it.forEachRemaining(kv -> {
        AssembledWindow window = WindowCodec.decode(kv.value.getModelWindow().array());
        byTask.computeIfAbsent(window.task(), t -> new ArrayList<>()).add(new Pending(kv.key, kv.value, window));
      });
    }
    byTask.forEach((task, pending) -> {
      for (int from = 0; from < pending.size(); from += maxBatch) {
        score(task, pending.subList(from, Math.min(pending.size(), from + maxBatch)));
      }
    });
  }

  private void score(Task task, List<Pending> batch) {
    List<ScoreOutcome> outcomes;
    if (scorer.contract(task).isEmpty()) {
      outcomes = batch.stream().<ScoreOutcome>map(p -> new ScoreOutcome.Rejected(DeadLetterReason.INFERENCE_FAILED,
          "no model serves task " + task + ": add one to the models directory")).toList();
    } else {
      outcomes = scorer.score(task, batch.stream().map(Pending::window).toList());
      metrics.batch();
    }
    long predictedAt = context.currentSystemTimeMs();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      forward(p, outcomes.get(i), predictedAt);
      ready.delete(p.key());
    }
  }

  private void forward(Pending p, ScoreOutcome outcome, long predictedAt) {
    String streamId = p.ready().getStreamId();
    long origin = p.ready().getOriginMs();
    long endEventMs = origin + p.window().bounds().endMs();
    if (outcome instanceof ScoreOutcome.Scored scored) {
      long closedAt = p.ready().getClosedAtWallMs();
      var prediction = PredictionFactory.of(p.window(), origin, scored, closedAt, predictedAt);
      metrics.windowScored(Math.max(0, predictedAt - closedAt));
      String sink = p.window().task() == Task.GENRE ? Names.GENRE_PREDICTIONS : Names.EMOTION_PREDICTIONS;
      context.forward(new Record<String, Object>(streamId, prediction, endEventMs), sink);
    } else if (outcome instanceof ScoreOutcome.Rejected rejected) {
      metrics.deadLetter(rejected.reason());
      // a dead letter carries the window as a ModelWindow, which consumers decode with the .avsc files alone
      context.forward(new Record<String, Object>(streamId, deadLetters.forWindow(rejected.reason(), rejected.detail(),
          origin + p.window().bounds().startMs(), endEventMs, streamId.getBytes(StandardCharsets.UTF_8),
          DEAD_WINDOWS.encode(p.window().toModelWindow())), endEventMs), Names.DEAD_LETTERS);
    }
  }

  private record Pending(Bytes key, ReadyWindow ready, AssembledWindow window) {}
}
