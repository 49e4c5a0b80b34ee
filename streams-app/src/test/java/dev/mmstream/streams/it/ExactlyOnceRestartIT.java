package dev.mmstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.align.HoppingWindows;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.schema.Topics;
import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.config.StreamsAppConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelContract;
import dev.mmstream.streams.inference.ModelRegistry;
import dev.mmstream.streams.inference.ScoreOutcome;
import dev.mmstream.streams.inference.WindowScorer;
import dev.mmstream.streams.topology.StreamsApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through failures: while a clip streams in at real-time pace, the app instance is stopped
 * mid-stream and a new one (empty state directory: it restores from the changelogs) takes over; later
 * its stream thread dies in the middle of a transaction (after a prediction was forwarded, before the
 * commit) and is replaced. A {@code read_committed} consumer still sees every window exactly once.
 */
class ExactlyOnceRestartIT {
  private static final Topics TOPICS = Topics.defaults();
  private static final String STREAM = "clip-eos";
  /** END closes windows 4 s..7 s at once; max batch 1 scores them one run at a time in one punctuation. */
  private static final long FAIL_AT_WINDOW_MS = 5000;

  @TempDir Path dir;

  @Test
  void everyWindowHasExactlyOneCommittedPredictionAcrossARestartAndAThreadCrash() throws Exception {
    try (var broker = started(dir.resolve("broker"));
        var models = ModelRegistry.open(LiveModel.dir(), new InferenceSettings(Device.CPU, 1, 1), ModelRegistry.DEFAULT_POLL);
        var reader = new PredictionReader(broker.bootstrapServers(), TOPICS.emotionPredictions())) {
      SpeechClip clip = SpeechClip.make(dir);
      var scorer = new CrashOnce(models, FAIL_AT_WINDOW_MS);
      var alignment = withMaxBatch(1);
      long origin = StreamRequest.originNow();

      StreamsApp first = StreamsApp.start(config(broker, dir.resolve("state-1"), alignment), scorer);
      var ingest = CompletableFuture.runAsync(() ->
          LiveIngest.run(broker.bootstrapServers(), TOPICS, clip, STREAM, origin, true));
      reader.until(all -> !all.isEmpty(), Duration.ofSeconds(30));
      assertThat(ingest).as("the stream is still being ingested when the first instance stops").isNotDone();
      first.close();

      try (StreamsApp second = StreamsApp.start(config(broker, dir.resolve("state-2"), alignment), scorer)) {
        ingest.get();
        List<WindowBounds> expected = HoppingWindows.emotion().over((long) (SpeechClip.SECONDS * 1000));
        reader.until(all -> all.size() >= expected.size(), Duration.ofSeconds(60));
        // a duplicate would arrive with or right after the last ones: keep reading a while
        List<Prediction> committed = reader.readFor(Duration.ofSeconds(2));

        Map<Long, Long> perWindow = committed.stream().filter(p -> p.getStreamId().equals(STREAM))
            .collect(Collectors.groupingBy(p -> p.getWindowStartMs() - origin, Collectors.counting()));
        assertThat(perWindow.keySet()).as("windows with a committed prediction")
            .containsExactlyInAnyOrderElementsOf(expected.stream().map(WindowBounds::startMs).toList());
        assertThat(perWindow).as("committed predictions per window").allSatisfy((start, count) -> assertThat(count).isOne());
        assertThat(scorer.crashed()).as("the injected crash happened").isTrue();
        assertThat(second.state().isRunningOrRebalancing()).as("the crashed thread was replaced").isTrue();
        assertThat(scorer.scoredTimes(FAIL_AT_WINDOW_MS - 1000))
            .as("the window scored just before the crash, in the aborted transaction, was scored again").isGreaterThan(1);
      }
    }
  }

  private static KraftBroker started(Path dataDir) {
    var broker = KraftBroker.start(BrokerConfig.ephemeral(dataDir, 2));
    TopicProvisioner.ensureTopics(broker.bootstrapServers(), TOPICS, 2);
    return broker;
  }

  private static StreamsAppConfig config(KraftBroker broker, Path stateDir, AlignmentConfig alignment) {
    return new StreamsAppConfig(broker.bootstrapServers(), "eos-it", TOPICS, stateDir, 1, alignment, 0);
  }

  private static AlignmentConfig withMaxBatch(int maxBatch) {
    var d = AlignmentConfig.defaults();
    return new AlignmentConfig(d.windowSize(), d.advance(), d.grace(), d.idleTimeout(), d.startTimeout(),
        d.genreMaxDuration(), d.scoringInterval(), maxBatch);
  }

  /** The real model, except that the first run holding the given window throws, as a bug would. */
  private static final class CrashOnce implements WindowScorer {
    private final WindowScorer delegate;
    private final long failAtMs;
    private final AtomicBoolean crashed = new AtomicBoolean();
    private final Map<Long, AtomicInteger> scored = new ConcurrentHashMap<>();

    CrashOnce(WindowScorer delegate, long failAtMs) {
      this.delegate = delegate;
      this.failAtMs = failAtMs;
    }

    @Override
    public Optional<ModelContract> contract(Task task) {
      return delegate.contract(task);
    }

    @Override
    public List<ScoreOutcome> score(Task task, List<AssembledWindow> windows) {
      if (windows.stream().anyMatch(w -> w.bounds().startMs() == failAtMs) && crashed.compareAndSet(false, true)) {
        throw new IllegalStateException("injected crash while scoring window " + failAtMs + " ms");
      }
      windows.forEach(w -> scored.computeIfAbsent(w.bounds().startMs(), k -> new AtomicInteger()).incrementAndGet());
      return delegate.score(task, windows);
    }

    boolean crashed() {
      return crashed.get();
    }

    int scoredTimes(long windowStartMs) {
      return scored.getOrDefault(windowStartMs, new AtomicInteger()).get();
    }
  }
}
