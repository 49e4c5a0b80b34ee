package dev.mmstream.streams.load;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelContract;
import dev.mmstream.streams.inference.ModelRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Soak: the serving benchmark's load (N synthetic live streams) for minutes, {@code serve} in its own process. Every
 * sample it forces a full GC there (jcmd), then reads its /metrics: heap after GC (the live set), open file
 * descriptors, state directory size and consumer lag. It prints them as they come and, at the end, compares the last
 * third of the run with the middle third: heap, files and state must stay within ±10%, lag bounded. Exit 1 when not.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Heap after GC, open files, state size and lag of serve under steady load, over minutes.")
public final class SoakHarness implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Serving-size emotion model (make_fixtures.py --realistic PATH).")
  Path model;
  @Option(names = "--streams", defaultValue = "100", description = "Live streams (default: ${DEFAULT-VALUE}).")
  int streams;
  @Option(names = "--minutes", defaultValue = "10", description = "Length of the run (default: ${DEFAULT-VALUE}; 30 for the long mode).")
  double minutes;
  @Option(names = "--sample-s", defaultValue = "30", description = "Seconds between samples (default: ${DEFAULT-VALUE}).")
  int sampleSeconds;
  @Option(names = "--quick", description = "A check that the harness runs: 10 streams, 45 s, a sample every 10 s, no verdict.")
  boolean quick;

  private static final double FLAT = 0.10;
  private static final Topics TOPICS = Topics.defaults();

  public static void main(String[] args) {
    System.exit(new CommandLine(new SoakHarness()).execute(args));
  }

  private record Sample(double seconds, Map<String, Double> values) {
    double get(String name) {
      return values.getOrDefault(name, Double.NaN);
    }
  }

  private static final List<String> GAUGES = List.of("mmstream_jvm_heap_after_gc_bytes", "mmstream_process_open_fds",
      "mmstream_state_dir_bytes", "mmstream_consumer_lag_records", "mmstream_windows_scored_total");

  @Override
  public Integer call() throws Exception {
    try (var scratch = WorkDir.create("mmstream-soak")) {
      return run(scratch.path());
    }
  }

  private int run(Path work) throws Exception {
    if (quick) {
      streams = 10;
      minutes = 0.75;
      sampleSeconds = 10;
    }
    Path models = Files.createDirectories(work.resolve("models"));
    Files.copy(model, models.resolve(model.getFileName()));
    ModelContract contract;
    try (var registry = ModelRegistry.open(models, new InferenceSettings(Device.CPU, 1, 1), ModelRegistry.DEFAULT_POLL)) {
      contract = registry.contract(Task.EMOTION).orElseThrow(() -> new IllegalArgumentException(model + " is not an emotion model"));
    }
    var records = new FeatureRecords(contract.specFor("video"), contract.specFor("audio"), contract.specFor("text"), streams);
    int metricsPort = freePort();
    List<Sample> samples = new ArrayList<>();
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(work.resolve("broker"), 4))) {
      TopicProvisioner.ensureTopics(broker.bootstrapServers(), TOPICS, 4);
      shortRetention(broker.bootstrapServers());
      var serve = new ServeProcess(broker.bootstrapServers(), models, work.resolve("state"), work.resolve("logs"), "soak", metricsPort);
      serve.start();
      try {
        serve.awaitRunning(Duration.ofSeconds(90));
        long start = System.currentTimeMillis() + 1000;
        Duration length = Duration.ofMillis((long) (minutes * 60_000));
        var load = new SyntheticStreams(broker.bootstrapServers(), TOPICS, records, streams, length, start);
        Thread publisher = new Thread(load, "soak-publisher");
        publisher.start();
        System.out.printf(Locale.ROOT, "soak: %d live streams for %.1f min, serve pid %d, a sample every %d s (after a full GC)%n",
            streams, minutes, serve.pid(), sampleSeconds);
        System.out.println("     t_s  heap_after_gc_MiB  open_fds  state_dir_MiB  consumer_lag  windows_scored");
        var http = HttpClient.newHttpClient();
        for (long next = start + sampleSeconds * 1000L; next <= start + length.toMillis(); next += sampleSeconds * 1000L) {
          Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
          fullGc(serve.pid());
          Sample s = new Sample((System.currentTimeMillis() - start) / 1000.0, scrape(http, metricsPort));
          samples.add(s);
          System.out.printf(Locale.ROOT, "%8.0f  %17.1f  %8.0f  %13.1f  %12.0f  %14.0f%n", s.seconds(),
              s.get(GAUGES.get(0)) / (1 << 20), s.get(GAUGES.get(1)), s.get(GAUGES.get(2)) / (1 << 20), s.get(GAUGES.get(3)),
              s.get(GAUGES.get(4)));
        }
        publisher.join(Duration.ofSeconds(10).toMillis());
        if (load.failure() != null) {
          throw new IllegalStateException("publishing failed: " + load.failure().getMessage(), load.failure());
        }
      } finally {
        serve.kill();
      }
    }
    return quick ? 0 : verdict(samples);
  }

  /** The last third against the middle third (the first third is warm-up: JIT, caches, RocksDB's first flushes). */
  private int verdict(List<Sample> samples) {
    int n = samples.size();
    if (n < 6) {
      System.out.println("soak: too few samples for a verdict (need 6: raise --minutes or lower --sample-s)");
      return 1;
    }
    List<Sample> middle = samples.subList(n / 3, 2 * n / 3);
    List<Sample> last = samples.subList(2 * n / 3, n);
    var flat = new HashMap<String, Boolean>();
    var lines = new ArrayList<String>();
    for (String gauge : GAUGES.subList(0, 3)) {
      double before = mean(middle, s -> s.get(gauge));
      double after = mean(last, s -> s.get(gauge));
      double change = (after - before) / before;
      flat.put(gauge, Math.abs(change) <= FLAT);
      lines.add(String.format(Locale.ROOT, "%s %+.1f%%", gauge.replace("mmstream_", ""), 100 * change));
    }
    // Lag hovers near zero in a run that holds its load, so a ratio says nothing: bounded = the last third's worst
    // is no worse than twice the middle third's, or under one second of input (about 7 records per stream).
    double lagBefore = max(middle, s -> s.get(GAUGES.get(3)));
    double lagAfter = max(last, s -> s.get(GAUGES.get(3)));
    boolean lagBounded = lagAfter <= Math.max(2 * lagBefore, 7.0 * streams);
    lines.add(String.format(Locale.ROOT, "consumer_lag max %.0f (middle third %.0f)", lagAfter, lagBefore));
    boolean held = flat.values().stream().allMatch(b -> b) && lagBounded;
    System.out.printf(Locale.ROOT, "soak streams=%d minutes=%.1f %s flat=%s%n", streams, minutes, String.join(", ", lines),
        held ? "yes" : "no");
    return held ? 0 : 1;
  }

  /** The broker keeps 5 minutes of each topic: a 30-minute run at 150 streams would otherwise write tens of GB. */
  private static void shortRetention(String bootstrap) throws Exception {
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      var ops = List.of(
          new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", "300000"),
              org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET),
          new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("segment.ms", "60000"),
              org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET));
      var changes = new HashMap<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>>();
      for (var topic : TOPICS.all()) {
        changes.put(new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
            topic.name()), ops);
      }
      admin.incrementalAlterConfigs(changes).all().get();
    }
  }

  private static double mean(List<Sample> samples, ToDoubleFunction<Sample> f) {
    return samples.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  private static double max(List<Sample> samples, ToDoubleFunction<Sample> f) {
    return samples.stream().mapToDouble(f).max().orElse(Double.NaN);
  }

  private static void fullGc(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + pid + " GC.run failed");
    }
  }

  private static Map<String, Double> scrape(HttpClient http, int port) throws IOException, InterruptedException {
    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> values = new HashMap<>();
    for (String line : body.split("\n")) {
      String[] parts = line.split(" ");
      if (parts.length == 2 && GAUGES.contains(parts[0])) {
        values.put(parts[0], Double.parseDouble(parts[1]));
      }
    }
    return values;
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
