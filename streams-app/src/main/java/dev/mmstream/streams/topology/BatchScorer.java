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
import java.util.NavigableMap;
import java.util.TreeMap;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scoring stage: closed windows wait in the ready store (changelogged, so a crash between closing and
 * scoring loses nothing) and are scored as few inference runs as possible: once the oldest has waited the
 * batch wait, or a full batch is there, all windows of one task that are ready go into one batch (up to the
 * batch limit). Outcomes go to the router in window order per stream: a prediction, or a dead letter for a
 * window the model cannot take. The store is written for recovery only: the waiting windows are also kept in
 * memory, in the store's key order, and read back from the store once, when the task starts (after a restart
 * or a failed transaction the store is the truth), so scoring never decodes a window it has just encoded.
 */
final class BatchScorer implements Processor<String, Flow, String, Outcome> {
  private static final AvroSerde<ModelWindow> DEAD_WINDOWS = AvroSerde.of(ModelWindow.class);

  private final WindowScorer scorer;
  private final DeadLetters deadLetters;
  private final AlignerMetrics metrics;
  private final int maxBatch;
  private final Duration scoringInterval;
  private final long batchWaitMs;
  private ProcessorContext<String, Outcome> context;
  private KeyValueStore<Bytes, ReadyWindow> ready;
  private final NavigableMap<Bytes, Pending> pending = new TreeMap<>();
  private long oldestClosedAtMs = Long.MAX_VALUE;

  BatchScorer(WindowScorer scorer, DeadLetters deadLetters, AlignerMetrics metrics, int maxBatch, Duration scoringInterval,
      Duration batchWait) {
    this.scorer = scorer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.maxBatch = maxBatch;
    this.scoringInterval = scoringInterval;
    this.batchWaitMs = batchWait.toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Outcome> context) {
    this.context = context;
    this.ready = context.getStateStore(Names.READY_STORE);
    pending.clear();
    oldestClosedAtMs = Long.MAX_VALUE;
    try (var it = ready.all()) {
      it.forEachRemaining(kv -> added(new Pending(kv.key, kv.value.getStreamId(), kv.value.getOriginMs(),
          kv.value.getClosedAtWallMs(), WindowCodec.decode(kv.value.getModelWindow().array()))));
    }
    context.schedule(scoringInterval, PunctuationType.WALL_CLOCK_TIME, this::scoreIfDue);
  }

  @Override
  public void process(Record<String, Flow> record) {
    if (!(record.value() instanceof ClosedWindow w)) {
      throw new IllegalStateException("scoring takes closed windows only, got " + record.value().getClass().getSimpleName());
    }
    Bytes key = readyKey(w.streamId(), w.window().bounds().startMs());
    ready.put(key, new ReadyWindow(w.streamId(), w.originMs(), w.closedAtWallMs(), ByteBuffer.wrap(WindowCodec.encode(w.window()))));
    added(new Pending(key, w.streamId(), w.originMs(), w.closedAtWallMs(), w.window()));
  }

  /** Ready-store keys sort by stream, then window start: scoring in key order keeps each stream's windows in order. */
  static Bytes readyKey(String streamId, long windowStartMs) {
    byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(id.length + 9).put(id).put((byte) 0).putLong(windowStartMs).array());
  }

  private void added(Pending p) {
    pending.put(p.key(), p);
    oldestClosedAtMs = Math.min(oldestClosedAtMs, p.closedAtWallMs());
  }

  /** The punctuator: scores what waits once a batch is full or the oldest window has waited long enough. */
  private void scoreIfDue(long nowMs) {
    if (!pending.isEmpty() && (pending.size() >= maxBatch || nowMs - oldestClosedAtMs >= batchWaitMs)) {
      scoreReady();
    }
  }

  private void scoreReady() {
    oldestClosedAtMs = Long.MAX_VALUE;
    Map<Task, List<Pending>> byTask = new EnumMap<>(Task.class);
    for (Pending p : pending.values()) {
      byTask.computeIfAbsent(p.window().task(), t -> new ArrayList<>()).add(p);
    }
    pending.clear();
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
    String streamId = p.streamId();
    long origin = p.originMs();
    long endEventMs = origin + p.window().bounds().endMs();
    Outcome routed;
    if (outcome instanceof ScoreOutcome.Scored scored) {
      routed = new Outcome.Predicted(p.window().task(),
          PredictionFactory.of(p.window(), origin, scored, p.closedAtWallMs(), predictedAt));
    } else if (outcome instanceof ScoreOutcome.Rejected rejected) {
      // a dead letter carries the window as a ModelWindow, which consumers decode with the .avsc files alone
      routed = new Outcome.DeadLettered(rejected.reason(), deadLetters.forWindow(rejected.reason(), rejected.detail(),
          origin + p.window().bounds().startMs(), endEventMs, streamId.getBytes(StandardCharsets.UTF_8),
          DEAD_WINDOWS.encode(p.window().toModelWindow())));
    } else {
      throw new IllegalStateException("unknown score outcome " + outcome);
    }
    context.forward(new Record<>(streamId, routed, endEventMs), Names.ROUTE);
  }

  private record Pending(Bytes key, String streamId, long originMs, long closedAtWallMs, AssembledWindow window) {}
}
