package dev.mmstream.ingest.batch;

import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.ingest.pipeline.IngestOutcome;
import dev.mmstream.ingest.pipeline.IngestPipeline;
import dev.mmstream.ingest.pipeline.Pacer;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.ingest.publish.FeatureSink;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.schema.v1.Task;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ingests many trailers, {@code jobs} at a time, each as fast as it decodes, as its own stream (START, features,
 * END), skipping the ones its {@link IngestLedger} already holds and recording each one there once done. A trailer
 * that fails (bad media, a bad sidecar) is reported and recorded; the others go on. Kafka failing (unreachable, or
 * away longer than the sink keeps records) is not the trailer's fault: the batch stops, records nothing for the
 * trailers it was on, and {@link #run}/{@link #watch} throw it, so a restart ingests them. {@link #run} takes a fixed list (a folder or a manifest);
 * {@link #watch} takes a folder's trailers as they land until {@link #stop()}. The featurizers' models are shared by
 * the jobs; each trailer gets its own sink.
 */
public final class BatchIngest {
  /** Opens the sink of one trailer's records; the batch closes it when it is {@link AutoCloseable}. */
  @FunctionalInterface
  public interface SinkOpener {
    FeatureSink open(long originMs) throws Exception;
  }

  private final Featurizers featurizers;
  private final DecoderOptions decoding;
  private final Task task;
  private final SinkOpener sinks;
  private final IngestLedger ledger;
  private final BatchProgress progress;
  private final ExecutorService jobs;
  private final Set<String> taken = ConcurrentHashMap.newKeySet();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<Exception> fatal = new AtomicReference<>();

  public BatchIngest(Featurizers featurizers, DecoderOptions decoding, Task task, SinkOpener sinks, IngestLedger ledger,
      BatchProgress progress, int jobs) {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1, not " + jobs);
    }
    this.featurizers = featurizers;
    this.decoding = decoding;
    this.task = task;
    this.sinks = sinks;
    this.ledger = ledger;
    this.progress = progress;
    AtomicInteger n = new AtomicInteger();
    this.jobs = Executors.newFixedThreadPool(jobs, r -> {
      var t = new Thread(r, "batch-ingest-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Ingests every trailer of the list not in the ledger and waits for them.
   *
   * @throws BatchStoppedException when Kafka failed: the trailers not recorded in the ledger were not ingested
   */
  public void run(List<Trailer> trailers) throws InterruptedException {
    trailers.forEach(this::offer);
    finish();
  }

  /**
   * Scans the folder every {@code poll} and ingests each new trailer once its files have not changed for
   * {@code settle}, until {@link #stop()}; then waits for the trailers already started.
   */
  public void watch(TrailerFolder folder, Duration settle, Duration poll) throws InterruptedException {
    var gate = new SettleGate(settle.toMillis(), System::currentTimeMillis);
    do {
      for (Trailer trailer : folder.scan()) {
        if (!taken.contains(trailer.fingerprint()) && ledger.outcome(trailer).isEmpty() && gate.settled(trailer)) {
          gate.taken(trailer);
          offer(trailer);
        }
      }
    } while (!stopped.await(poll.toMillis(), TimeUnit.MILLISECONDS));
    finish();
  }

  /** Thrown by {@link #run} and {@link #watch} when Kafka failed and the batch stopped. */
  public static final class BatchStoppedException extends RuntimeException {
    BatchStoppedException(Exception cause) {
      super(cause.getMessage() + " (the batch stopped; trailers not in the ledger are ingested on the next run)", cause);
    }
  }

  /** Ends {@link #watch} after its current scan; trailers already started still finish. */
  public void stop() {
    stopped.countDown();
  }

  public BatchProgress progress() {
    return progress;
  }

  private void offer(Trailer trailer) {
    if (!taken.add(trailer.fingerprint())) {
      return; // listed twice (a manifest naming one file in two rows)
    }
    if (ledger.outcome(trailer).isPresent()) {
      progress.alreadyDone();
      return;
    }
    progress.queued();
    jobs.submit(() -> ingest(trailer));
  }

  private void finish() throws InterruptedException {
    jobs.shutdown();
    while (!jobs.awaitTermination(1, TimeUnit.SECONDS)) {
      // a long trailer: keep waiting, the progress line shows it running
    }
    if (fatal.get() != null) {
      throw new BatchStoppedException(fatal.get());
    }
  }

  private void ingest(Trailer trailer) {
    progress.started();
    if (fatal.get() != null) {
      progress.abandoned(); // the batch is stopping: left for the next run
      return;
    }
    String where = trailer.media().toString();
    if (trailer.problem().isPresent()) {
      fail(trailer, where, trailer.problem().get(), 0);
      return;
    }
    var request = new StreamRequest(trailer.streamId(), SourceUri.parse(trailer.media().toString()), trailer.captions(),
        task, trailer.metadata(), StreamRequest.originNow());
    IngestOutcome outcome;
    try {
      FeatureSink sink = sinks.open(request.originMs());
      try {
        outcome = new IngestPipeline(featurizers, decoding, Pacer.AS_FAST_AS_POSSIBLE, ms -> { }).run(request, sink);
      } finally {
        if (sink instanceof AutoCloseable closeable) {
          closeable.close(); // flushes: only what Kafka acknowledged counts as ingested
        }
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      fatal.compareAndSet(null, e);
      progress.abandoned();
      stop();
      return;
    }
    outcome.warnings().forEach(w -> progress.warning(trailer.streamId(), w));
    if (outcome instanceof IngestOutcome.Failed failed) {
      fail(trailer, where, failed.reason(), failed.mediaMs());
    } else {
      ledger.record(trailer, true, outcome.summary());
      progress.finished(outcome.mediaMs());
    }
  }

  private void fail(Trailer trailer, String where, String reason, long mediaMs) {
    ledger.record(trailer, false, reason);
    progress.failed(trailer.streamId(), where, reason, mediaMs);
  }
}
