package dev.mmstream.demo;

import dev.mmstream.cli.Cli;
import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.config.StreamsAppConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelRegistry;
import dev.mmstream.streams.topology.AlignerMetrics;
import dev.mmstream.streams.topology.StreamsApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mmstream demo}: the whole system in one process: a real broker, the streams app with the
 * model, live streams ingested at real-time pace, a live table in the terminal and the dashboard.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs broker, streams app and live streams; shows predictions in the terminal and on the dashboard.")
public final class DemoMain implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "models/pretrained",
      description = "Folder with the emotion model to serve, DIR/emotion.onnx (default: ${DEFAULT-VALUE}, the shipped one).")
  Path models;

  // The launcher passes its generated demo clips here; users add theirs with --source.
  @Option(names = "--clip", hidden = true, description = "A demo clip as MEDIA[,CAPTIONS] (repeatable).")
  List<String> clips = new ArrayList<>();

  @Option(names = "--source", description = "Your own file or URL, as one more live stream (repeatable).")
  List<String> sources = new ArrayList<>();

  @Option(names = "--duration", defaultValue = "0", description = "Stop by itself after this many seconds (0 = until Ctrl-C).")
  int durationSeconds;

  @Option(names = "--dashboard-port", defaultValue = "8080", description = "Dashboard on http://127.0.0.1:PORT/ (default: ${DEFAULT-VALUE}).")
  int dashboardPort;

  @Option(names = "--data-dir", defaultValue = "work/demo/run", description = "Broker and state folder (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--models-dir", defaultValue = "models", description = "The npm model folder filled by setup (default: ${DEFAULT-VALUE}).")
  Path featureModels;

  public static void main(String[] args) {
    System.exit(Cli.execute(new DemoMain(), args));
  }

  @Override
  public Integer call() throws Exception {
    var demoSources = demoSources();
    if (demoSources.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "no stream to play: pass --source FILE_OR_URL");
    }
    deleteRecursively(dataDir); // a fresh broker each run: the demo shows live traffic, not history
    var stop = new CountDownLatch(1);
    var finished = new CountDownLatch(1);
    // Ctrl-C: ask the main loop to stop, then hold the JVM until everything below is closed.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "demo-stop"));
    try {
      return run(demoSources, stop);
    } finally {
      finished.countDown();
    }
  }

  private int run(List<DemoSource> demoSources, CountDownLatch stop) throws Exception {
    var topics = Topics.defaults();
    try (var featurizers = Featurizers.forTask(featureModels, Task.EMOTION)) {
      // The feature models load (seconds) while the broker and the streams app start, not after.
      var loading = CompletableFuture.runAsync(featurizers::preload);
      return run(demoSources, stop, topics, featurizers, loading);
    }
  }

  private int run(List<DemoSource> demoSources, CountDownLatch stop, Topics topics, Featurizers featurizers,
      CompletableFuture<Void> loading) throws Exception {
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dataDir.resolve("broker"), 3));
        var registry = ModelRegistry.open(models, new InferenceSettings(Device.AUTO, 1, 64), ModelRegistry.DEFAULT_POLL)) {
      TopicProvisioner.ensureTopics(broker.bootstrapServers(), topics, 3);
      var config = new StreamsAppConfig(broker.bootstrapServers(), "mmstream-demo", topics, dataDir.resolve("state"), 1,
          AlignmentConfig.defaults(), 0);
      var table = new LiveTable(System.out, System.console() != null);
      try (var app = StreamsApp.start(config, registry);
          var dashboard = new LiveDashboard(broker.bootstrapServers(), topics, dashboardPort)) {
        long startedNanos = ProcessHandle.current().info().startInstant()
            .map(i -> System.nanoTime() - java.time.Duration.between(i, java.time.Instant.now()).toNanos()).orElse(System.nanoTime());
        var first = new java.util.concurrent.atomic.AtomicBoolean();
        dashboard.subscribe(p -> {
          if (first.compareAndSet(false, true)) {
            System.out.printf(Locale.ROOT, "first prediction %.1f s after the demo started%n", (System.nanoTime() - startedNanos) / 1e9);
          }
        });
        dashboard.subscribe(table::accept);
        dashboard.start();
        System.out.printf(Locale.ROOT, "broker %s, model %s, dashboard http://127.0.0.1:%d/ — %d live streams (Ctrl-C to stop)%n",
            broker.bootstrapServers(), registry.contract(dev.mmstream.schema.v1.Task.EMOTION).map(c -> c.id()).orElse("?"),
            dashboard.port(), demoSources.size());
        awaitRunning(app, stop);
        loading.join(); // a model that cannot load fails the demo here, with its message
        var ingests = new ArrayList<LiveIngest>();
        try {
          for (DemoSource source : demoSources) {
            var ingest = new LiveIngest(source, broker.bootstrapServers(), topics, featurizers);
            ingest.start();
            ingests.add(ingest);
          }
          showUntilStopped(app, dashboard, table, stop);
        } finally {
          for (LiveIngest ingest : ingests) { // before the models they share are closed
            ingest.close();
          }
        }
        return report(demoSources, table);
      }
    }
  }

  /** Redraws the table and the dashboard's metrics every second until Ctrl-C or --duration. */
  private void showUntilStopped(StreamsApp app, LiveDashboard dashboard, LiveTable table, CountDownLatch stop)
      throws InterruptedException {
    var rate = new RateTracker();
    long live = System.nanoTime(); // --duration counts live time, after start-up
    while (!stop.await(1, TimeUnit.SECONDS)) {
      long elapsed = (System.nanoTime() - live) / 1_000_000_000L;
      AlignerMetrics m = app.metrics();
      dashboard.publishMetrics(m, rate.perSecond(m.windows()), percentile(m, 0.5), percentile(m, 0.99));
      table.draw(String.format(Locale.ROOT, "%3d s  windows %d  latency p50 <= %d ms  p99 <= %d ms  late %d",
          elapsed, m.windows(), percentile(m, 0.5), percentile(m, 0.99), m.lateRecords()));
      if (durationSeconds > 0 && elapsed >= durationSeconds) {
        return;
      }
    }
  }

  /** Live streams start once the app has its partitions, so the first windows are not spent waiting. */
  private static void awaitRunning(StreamsApp app, CountDownLatch stop) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (app.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
      if (stop.await(200, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  private int report(List<DemoSource> demoSources, LiveTable table) {
    var counts = table.predictionsPerStream();
    boolean everyStream = demoSources.stream().allMatch(s -> counts.getOrDefault(s.name(), 0) > 0);
    System.out.println("predictions per stream: " + counts);
    if (!everyStream) {
      System.out.println("some streams got no prediction: see the log above");
    }
    return everyStream ? 0 : 1;
  }

  private List<DemoSource> demoSources() {
    var list = new ArrayList<DemoSource>();
    int n = 1;
    for (String clip : clips) {
      String[] parts = clip.split(",", 2);
      list.add(new DemoSource("cam-" + n++, parts[0], parts.length > 1 && !parts[1].isBlank() ? Optional.of(Path.of(parts[1])) : Optional.empty()));
    }
    for (String source : sources) {
      list.add(new DemoSource("yours-" + n++, source, Optional.empty()));
    }
    return list;
  }

  /** Upper bound of the latency bucket holding quantile q. */
  static long percentile(AlignerMetrics m, double q) {
    long total = 0;
    int buckets = AlignerMetrics.LATENCY_BUCKETS_MS.length + 1;
    for (int i = 0; i < buckets; i++) {
      total += m.latencyBucket(i);
    }
    if (total == 0) {
      return 0;
    }
    long seen = 0;
    for (int i = 0; i < AlignerMetrics.LATENCY_BUCKETS_MS.length; i++) {
      seen += m.latencyBucket(i);
      if (seen >= q * total) {
        return AlignerMetrics.LATENCY_BUCKETS_MS[i];
      }
    }
    return Long.MAX_VALUE;
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Windows per second over the last few seconds. */
  private static final class RateTracker {
    private long lastCount;
    private long lastNanos = System.nanoTime();
    private double rate;

    double perSecond(long count) {
      long now = System.nanoTime();
      double seconds = (now - lastNanos) / 1e9;
      if (seconds >= 1) {
        rate = (count - lastCount) / seconds;
        lastCount = count;
        lastNanos = now;
      }
      return rate;
    }
  }
}
