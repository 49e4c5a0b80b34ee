package dev.mmstream.ingest.extract;

import dev.mmstream.ingest.video.FaceModels;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./mmstream extract}: a checked manifest in, a feature dataset out. Clips finished by an
 * earlier run with the same row and settings are skipped; the rest are spread over {@code jobs}
 * workers, each with its own featurizers. A clip that fails is listed in errors.csv and the others
 * go on; dataset.json is rewritten at the end from every windows file present.
 */
public final class DatasetExtractor {
  private static final Logger log = LoggerFactory.getLogger(DatasetExtractor.class);

  private final ExtractSettings settings;
  private final DatasetLayout layout;
  private final int jobs;
  private final boolean force;
  private final PrintStream progressOut;

  /**
   * @param jobs parallel workers (each loads its own models)
   * @param force re-extract clips that an earlier run finished
   * @param progressOut where the progress line goes (stderr)
   */
  public DatasetExtractor(ExtractSettings settings, DatasetLayout layout, int jobs, boolean force, PrintStream progressOut) {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs " + jobs + " must be at least 1");
    }
    this.settings = settings;
    this.layout = layout;
    this.jobs = jobs;
    this.force = force;
    this.progressOut = progressOut;
  }

  /** The default worker count: two, or one on a single core (each worker uses about a core). */
  public static int defaultJobs() {
    return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
  }

  public ExtractReport run(Manifest manifest) throws InterruptedException {
    long started = System.nanoTime();
    if (manifest.task() != settings.task()) {
      throw new IllegalArgumentException("the manifest is for task " + manifest.task() + " but the settings for " + settings.task());
    }
    layout.prepare();
    forgetInvalidRows(manifest);
    var progress = new ExtractProgress(manifest.clips().size(), progressOut);
    var keys = new HashMap<String, String>();
    var pending = new ArrayList<Clip>();
    int skipped = 0;
    for (Clip clip : manifest.clips()) {
      String key = ResumeKey.of(clip, settings);
      keys.put(clip.id(), key);
      if (!force && ResumeKey.matches(layout.windows(clip.id()), key)) {
        skipped++;
        progress.record(new ClipOutcome.Skipped(clip.id()));
      } else {
        pending.add(clip);
      }
    }
    var outcomes = new ConcurrentLinkedQueue<ClipOutcome>();
    if (!pending.isEmpty()) {
      checkModels();
      runWorkers(pending, keys, outcomes, progress);
    }
    progress.finish();

    var errors = new ArrayList<>(manifest.errors());
    Map<String, Integer> order = new HashMap<>();
    manifest.clips().forEach(c -> order.put(c.id(), c.line()));
    outcomes.stream()
        .filter(o -> o instanceof ClipOutcome.Failed)
        .map(o -> (ClipOutcome.Failed) o)
        .sorted((a, b) -> Integer.compare(order.get(a.clipId()), order.get(b.clipId())))
        .forEach(f -> {
          layout.remove(f.clipId());
          errors.add(f.error());
        });
    ErrorsCsv.write(layout.errorsCsv(), errors);
    ClipsCsv.write(layout.clipsCsv(), manifest);
    warnAboutStrangers(manifest);
    var summary = DatasetSummary.read(layout, settings, errors.size());
    summary.write(layout.datasetJson());
    int extracted = (int) outcomes.stream().filter(o -> o instanceof ClipOutcome.Extracted).count();
    return new ExtractReport(manifest.clips().size(), extracted, skipped, errors, summary,
        Duration.ofNanos(System.nanoTime() - started));
  }

  private void runWorkers(List<Clip> pending, Map<String, String> keys, Queue<ClipOutcome> outcomes,
      ExtractProgress progress) throws InterruptedException {
    var queue = new ConcurrentLinkedQueue<>(pending);
    var stop = new AtomicBoolean();
    int workers = Math.min(jobs, pending.size());
    var threadIds = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> new Thread(r, "extract-" + threadIds.incrementAndGet()));
    var done = new ExecutorCompletionService<Void>(pool);
    try {
      for (int i = 0; i < workers; i++) {
        done.submit(() -> {
          try (var extractor = new ClipExtractor(settings, layout)) {
            Clip clip;
            while (!stop.get() && (clip = queue.poll()) != null) {
              ClipOutcome outcome = extractor.extract(clip, keys.get(clip.id()));
              if (outcome instanceof ClipOutcome.Failed f) {
                log.warn("{} (manifest line {}) left out: {}", f.clipId(), clip.line(), f.reason());
              }
              outcomes.add(outcome);
              progress.record(outcome);
            }
          }
          return null;
        });
      }
      for (int i = 0; i < workers; i++) {
        done.take().get();
      }
    } catch (ExecutionException e) {
      stop.set(true);
      throw rethrow(e.getCause());
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  private static RuntimeException rethrow(Throwable cause) throws InterruptedException {
    if (cause instanceof InterruptedException e) {
      throw e;
    }
    if (cause instanceof IOException e) {
      return new UncheckedIOException("extract cannot write its outputs: " + e.getMessage(), e);
    }
    if (cause instanceof RuntimeException e) {
      return e;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(cause);
  }

  /** Fails before any clip when the face models are missing, instead of failing every clip alike. */
  private void checkModels() {
    FaceModels.load(settings.modelsDir(), settings.video().detector(), 1).close();
  }

  /** Outputs of rows that are now invalid would otherwise stay in the dataset. */
  private void forgetInvalidRows(Manifest manifest) {
    Set<String> valid = manifest.clips().stream().map(Clip::id).collect(Collectors.toSet());
    manifest.errors().stream()
        .map(ClipError::clipId)
        .filter(id -> RowCheck.isClipId(id) && !valid.contains(id))
        .forEach(layout::remove);
  }

  private void warnAboutStrangers(Manifest manifest) {
    Set<String> listed = manifest.clips().stream().map(Clip::id).collect(Collectors.toSet());
    var strangers = layout.finishedClips().stream().filter(id -> !listed.contains(id)).toList();
    if (!strangers.isEmpty()) {
      log.warn("{} holds windows of {} clip(s) that are not in this manifest (e.g. {}); they stay in the dataset:"
          + " delete them or extract into a fresh --out", layout.windowsDir(), strangers.size(), strangers.get(0));
    }
  }
}
