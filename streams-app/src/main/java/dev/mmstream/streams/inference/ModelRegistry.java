package dev.mmstream.streams.inference;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.inference.ScoreOutcome.Rejected;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a directory, one per task, scoring windows with the current model of their task.
 *
 * <p>Which file serves a task: at startup every {@code *.onnx} file must load and validate (else
 * startup fails naming the file), and per task the highest model_version wins (natural order, see
 * {@link ModelVersions}; two files with the same version for one task fail startup). While serving, a
 * watcher polls the directory; a file that is new or changed and has stayed unchanged for one poll
 * interval (so half-copied files are not read) is loaded, validated and warmed up off the scoring path,
 * then swapped in if its version is higher than the serving one's, or if it is the serving file itself
 * rewritten in place (a deliberate rollback). A file that fails is refused with a logged reason and the
 * current model keeps serving. The swap is atomic between batches: a batch in flight finishes on the old
 * session, which closes when its last batch ends. A deleted file keeps serving from memory.
 */
public final class ModelRegistry implements WindowScorer, AutoCloseable {
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  private final ModelDirectory directory;
  private final InferenceSettings settings;
  private final DeviceChooser chooser;
  private final Map<Task, ServingModel> serving = new ConcurrentHashMap<>();
  private final DirectoryWatch watch;
  private final ScheduledExecutorService watcher;
  private volatile boolean closed;
  private volatile String lastRefusal;
  private volatile int refusals;

  private ModelRegistry(Path dir, InferenceSettings settings) {
    this.directory = new ModelDirectory(dir);
    this.settings = settings;
    this.chooser = new DeviceChooser(settings.device());
    this.watch = new DirectoryWatch(directory);
    this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "model-watcher");
      t.setDaemon(true);
      return t;
    });
  }

  /** Loads every model of {@code dir} and starts watching it every {@code poll}. */
  public static ModelRegistry open(Path dir, InferenceSettings settings, Duration poll) {
    if (poll.isNegative() || poll.isZero()) {
      throw new IllegalArgumentException("model poll interval must be positive, got " + poll);
    }
    ModelRegistry registry = new ModelRegistry(dir, settings);
    registry.loadAll();
    long ms = poll.toMillis();
    registry.watcher.scheduleWithFixedDelay(registry::poll, ms, ms, TimeUnit.MILLISECONDS);
    return registry;
  }

  @Override
  public Optional<ModelContract> contract(Task task) {
    return Optional.ofNullable(serving.get(task)).map(s -> s.model().contract());
  }

  @Override
  public List<ScoreOutcome> score(Task task, List<AssembledWindow> windows) {
    if (windows.isEmpty()) {
      return List.of();
    }
    while (true) {
      if (closed) {
        throw new IllegalStateException("model registry of " + directory.path() + " is closed");
      }
      ServingModel current = serving.get(task);
      if (current == null) {
        Rejected none = new Rejected(DeadLetterReason.SPEC_MISMATCH, "no model serves task " + task
            + " (models directory " + directory.path() + " serves " + serving.keySet() + "): add a model for it");
        return Collections.nCopies(windows.size(), none);
      }
      if (current.acquire()) {
        try {
          return current.model().score(windows);
        } finally {
          current.release();
        }
      }
      // retired by a swap between the lookup and acquire: the map already holds its successor
    }
  }

  /** How many files were refused (at startup, or new or changed while serving), and the last reason. */
  public int refusals() {
    return refusals;
  }

  public Optional<String> lastRefusal() {
    return Optional.ofNullable(lastRefusal);
  }

  @Override
  public void close() {
    closed = true;
    watcher.shutdownNow();
    try {
      watcher.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    serving.values().forEach(ServingModel::retire);
  }

  private void loadAll() {
    List<Path> files = new ArrayList<>(watch.baseline().keySet());
    if (files.isEmpty()) {
      throw new IllegalArgumentException("models directory " + directory.path()
          + " holds no *.onnx file: put a model exported by `mmstream train` there");
    }
    StartupSelection.select(files, file -> OnnxFusionModel.load(file, settings, chooser), e -> refuse(e.getMessage()))
        .forEach((task, model) -> serving.put(task, new ServingModel(model)));
  }

  /** One watcher pass; a failure is logged and the next pass tries again. */
  synchronized void poll() {
    if (closed) {
      return;
    }
    try {
      DirectoryWatch.Changes changes = watch.changes();
      changes.removed().forEach(this::removed);
      changes.ready().forEach(this::offer);
    } catch (RuntimeException e) {
      LOG.error("model watcher: pass over {} failed; retrying at the next poll", directory.path(), e);
    }
  }

  private void offer(Path file) {
    OnnxFusionModel candidate;
    try {
      candidate = OnnxFusionModel.load(file, settings, chooser);
    } catch (ModelLoadException | IllegalStateException e) {
      refuse(e.getMessage());
      return;
    }
    ModelContract next = candidate.contract();
    ServingModel current = serving.get(next.task());
    if (current != null && !current.model().contract().file().equals(file)
        && ModelVersions.compare(next.version(), current.model().contract().version()) <= 0) {
      refuse("model file " + file + " (" + next.id() + ") is not newer than the serving "
          + current.model().contract().id() + "; not swapped");
      candidate.close();
      return;
    }
    ServingModel old = serving.put(next.task(), new ServingModel(candidate));
    LOG.info("hot swap {}: now {} from {} (was {})", next.task(), next.id(), file,
        old == null ? "none" : old.model().contract().id());
    if (old != null) {
      old.retire();
    }
  }

  private void refuse(String reason) {
    lastRefusal = reason;
    refusals++;
    LOG.error("refused: {}; the other models serve", reason);
  }

  private void removed(Path file) {
    serving.values().stream().filter(s -> s.model().contract().file().equals(file)).forEach(s ->
        LOG.warn("{} was removed; {} keeps serving {} from memory", file, s.model().contract().id(),
            s.model().contract().task()));
  }
}
