package dev.mmstream.streams.load;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.config.StreamsAppConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelContract;
import dev.mmstream.streams.inference.ModelRegistry;
import dev.mmstream.streams.topology.StreamsApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load harness: for each N, N synthetic live streams paced in real time into an embedded broker, the
 * streams app serving a real model, measured twice in one run: batched (max batch 64) and batch-1.
 * Each phase runs a fixed time and stops by itself. Run it with the test classpath (see README).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Windows/s and window-close -> prediction latency for N live streams, batched vs batch-1.")
public final class LoadHarness implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Serving-size emotion model (make_fixtures.py --realistic PATH).")
  Path model;
  @Option(names = "--streams", split = ",", defaultValue = "100", description = "Stream counts to run, e.g. 50,100,150 (default: ${DEFAULT-VALUE}).")
  List<Integer> counts;
  @Option(names = "--warmup-s", defaultValue = "10", description = "Seconds before measuring, >= 6 (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;
  @Option(names = "--measure-s", defaultValue = "30", description = "Seconds measured per phase (default: ${DEFAULT-VALUE}).")
  int measureSeconds;
  @Option(names = "--jvm-warmup-s", defaultValue = "20", description = "A first, unreported phase (JIT, broker, ORT) of this many seconds; 0 = none (default: ${DEFAULT-VALUE}).")
  int jvmWarmupSeconds;
  @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;
  @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
  int threads;
  @Option(names = "--inference-threads", defaultValue = "1", description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
  int inferenceThreads;
  @Option(names = "--batches", split = ",", defaultValue = "64,1", description = "Max batch sizes compared (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;
  @Option(names = "--batch-wait-ms", defaultValue = "50", description = "Longest a closed window waits for others to share its inference run (default: ${DEFAULT-VALUE}).")
  int batchWaitMs;
  @Option(names = "--quick", description = "A check that the harness runs: 10 streams, a 6 s warm-up and 4 s measured, no JVM warm-up phase.")
  boolean quick;

  private static final long HELD_EVENT_P99_MS = 1500;
  private final List<String> summaries = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadHarness()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (var scratch = WorkDir.create("mmstream-load")) {
      return run(scratch.path());
    }
  }

  private int run(Path work) throws Exception {
    if (quick) {
      counts = List.of(10);
      warmupSeconds = 6;
      measureSeconds = 4;
      jvmWarmupSeconds = 0;
    }
    if (warmupSeconds < 6) {
      // the first window (4 s) closes once audio passes 4.5 s, i.e. with the chunk published at 5 s
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--warmup-s " + warmupSeconds + " is too short: the first windows close about 5 s into a stream; use 6 or more");
    }
    Path models = Files.createDirectories(work.resolve("models"));
    Files.copy(model, models.resolve(model.getFileName()));
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(work.resolve("broker"), partitions))) {
      System.out.printf(Locale.ROOT, "model %s; %d stream thread(s), %d intra-op thread(s), %d partitions; %d s warm-up + %d s measured per phase; %d cores%n",
          model.getFileName(), threads, inferenceThreads, partitions, warmupSeconds, measureSeconds, Runtime.getRuntime().availableProcessors());
      if (jvmWarmupSeconds > 0) {
        System.out.printf(Locale.ROOT, "(unreported warm-up phase: %d streams, %d s)%n", counts.get(0), jvmWarmupSeconds);
        phase(broker, models, work, counts.get(0), batches.get(0), "warmup", 0, jvmWarmupSeconds, false);
      }
      System.out.println("streams  max-batch  windows/s  mean-batch  close->pred p50/p99 ms  close->visible p50/p99 ms  event->pred p50/p99 ms");
      for (int n : counts) {
        for (int maxBatch : batches) {
          phase(broker, models, work, n, maxBatch, "load", warmupSeconds, measureSeconds, true);
        }
      }
    }
    System.out.println();
    summaries.forEach(System.out::println);
    return 0;
  }

  /** The first rebalance takes seconds; streams published before it would start the phase behind. */
  private static void awaitRunning(StreamsApp app) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (app.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the streams app is not RUNNING after 60 s (state " + app.state() + ")");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  private void phase(KraftBroker broker, Path models, Path work, int n, int maxBatch, String label, int warmupSeconds,
      int measureSeconds, boolean report) throws Exception {
    String name = label + "-" + n + "-b" + maxBatch;
    System.gc(); // the previous phase's garbage is not this phase's pause
    var topics = new Topics(name + ".");
    TopicProvisioner.ensureTopics(broker.bootstrapServers(), topics, partitions);
    var d = AlignmentConfig.defaults();
    var alignment = new AlignmentConfig(d.windowSize(), d.advance(), d.grace(), d.idleTimeout(), d.startTimeout(),
        d.genreMaxDuration(), d.scoringInterval(), maxBatch, Duration.ofMillis(batchWaitMs));
    var settings = new InferenceSettings(Device.CPU, inferenceThreads, maxBatch);
    try (var registry = ModelRegistry.open(models, settings, ModelRegistry.DEFAULT_POLL);
        var app = StreamsApp.start(new StreamsAppConfig(broker.bootstrapServers(), name, topics, work.resolve(name), threads,
            alignment, 0), registry)) {
      ModelContract contract = registry.contract(Task.EMOTION).orElseThrow(() ->
          new IllegalArgumentException(model + " is not an emotion model"));
      var records = new FeatureRecords(contract.specFor("video"), contract.specFor("audio"), contract.specFor("text"), n);
      awaitRunning(app);
      long start = System.currentTimeMillis() + 1000;
      Duration total = Duration.ofSeconds(warmupSeconds + measureSeconds);
      var streams = new SyntheticStreams(broker.bootstrapServers(), topics, records, n, total, start);
      long from = start + warmupSeconds * 1000L;
      long to = start + total.toMillis();
      var meter = new PredictionMeter(broker.bootstrapServers(), topics.emotionPredictions(), streams, d.grace().toMillis(), from, to);
      Thread publisher = new Thread(streams, "load-publisher");
      publisher.start();
      long batchesBefore = app.metrics().batches();
      long windowsBefore = app.metrics().windows();
      meter.readUntil(to + 5000); // windows closed near the end still arrive within 5 s, or count as missing
      publisher.join(Duration.ofSeconds(10).toMillis());
      if (streams.failure() != null) {
        throw new IllegalStateException("publishing failed: " + streams.failure().getMessage(), streams.failure());
      }
      long batches = app.metrics().batches() - batchesBefore;
      long windows = app.metrics().windows() - windowsBefore;
      if (!report) {
        return;
      }
      long expected = streams.windowsClosedBetween(from, to, d.windowSize().toMillis(), d.advance().toMillis(),
          d.grace().toMillis());
      double meanBatch = batches == 0 ? 0.0 : windows / (double) batches;
      System.out.printf(Locale.ROOT, "%7d  %9d  %9.1f  %10.1f  %22s  %25s  %22s%s%n", n, maxBatch,
          meter.windows() / (double) measureSeconds, meanBatch,
          meter.closeToPrediction().p50p99(), meter.closeToVisible().p50p99(), meter.eventToPrediction().p50p99(),
          meter.windows() < expected ? "  (only " + meter.windows() + " of " + expected + " windows arrived: overloaded)" : "");
      // What a capacity check reads: held = every window predicted and event -> prediction p99 within 1.5 s.
      boolean held = meter.windows() >= expected && meter.eventToPrediction().percentile(0.99) <= HELD_EVENT_P99_MS;
      summaries.add(String.format(Locale.ROOT,
          "streams=%d max_batch=%d windows/s=%.1f mean_batch=%.1f close_p99_ms=%d event_p99_ms=%d held=%s (%d of %d windows)",
          n, maxBatch, meter.windows() / (double) measureSeconds, meanBatch, meter.closeToPrediction().percentile(0.99),
          meter.eventToPrediction().percentile(0.99), held ? "yes" : "no", meter.windows(), expected));
    }
  }
}
