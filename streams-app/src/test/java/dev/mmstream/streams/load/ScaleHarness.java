package dev.mmstream.streams.load;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelContract;
import dev.mmstream.streams.inference.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Windows/s with 1, 2, 3 ... {@code serve} instances (separate JVMs, one application id) under the same load, in one
 * run on one machine: for each count, fresh topics, the instances started and settled, then N live streams measured
 * as the serve benchmark measures them.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "Windows/s and event -> prediction p99 with 1, 2, 3 serve instances under the same load.")
public final class ScaleHarness implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Serving-size emotion model (make_fixtures.py --realistic PATH).")
  Path model;
  @Option(names = "--streams", defaultValue = "300", description = "Live streams (default: ${DEFAULT-VALUE}).")
  int streams;
  @Option(names = "--instances", split = ",", defaultValue = "1,2,3", description = "Instance counts (default: ${DEFAULT-VALUE}).")
  List<Integer> counts;
  @Option(names = "--warmup-s", defaultValue = "15", description = "Seconds before measuring, >= 6 (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;
  @Option(names = "--measure-s", defaultValue = "30", description = "Seconds measured (default: ${DEFAULT-VALUE}).")
  int measureSeconds;
  @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScaleHarness()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (var scratch = WorkDir.create("mmstream-scale")) {
      return run(scratch.path());
    }
  }

  private int run(Path work) throws Exception {
    Path models = Files.createDirectories(work.resolve("models"));
    Files.copy(model, models.resolve(model.getFileName()));
    ModelContract contract;
    try (var registry = ModelRegistry.open(models, new InferenceSettings(Device.CPU, 1, 1), ModelRegistry.DEFAULT_POLL)) {
      contract = registry.contract(Task.EMOTION).orElseThrow();
    }
    var records = new FeatureRecords(contract.specFor("video"), contract.specFor("audio"), contract.specFor("text"), streams);
    var summaries = new ArrayList<String>();
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(work.resolve("broker"), partitions));
        var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      System.out.printf(Locale.ROOT, "%d live streams, %d partitions, %d s warm-up + %d s measured per count, %d cores%n",
          streams, partitions, warmupSeconds, measureSeconds, Runtime.getRuntime().availableProcessors());
      for (int k : counts) {
        String name = "scale-" + k;
        var topics = new Topics(name + ".");
        TopicProvisioner.ensureTopics(broker.bootstrapServers(), topics, partitions);
        List<ServeProcess> instances = new ArrayList<>();
        try {
          for (int i = 1; i <= k; i++) {
            var p = new ServeProcess(broker.bootstrapServers(), models, work.resolve(name + "-state-" + i),
                work.resolve(name + "-logs-" + i), name, 0, List.of("--topic-prefix", topics.prefix()));
            p.start();
            instances.add(p);
          }
          for (ServeProcess p : instances) {
            p.awaitRunning(Duration.ofSeconds(120));
          }
          awaitMembers(admin, name, k);
          long start = System.currentTimeMillis() + 1000;
          var load = new SyntheticStreams(broker.bootstrapServers(), topics, records, streams,
              Duration.ofSeconds(warmupSeconds + measureSeconds), start);
          long from = start + warmupSeconds * 1000L;
          long to = from + measureSeconds * 1000L;
          var d = AlignmentConfig.defaults();
          var meter = new PredictionMeter(broker.bootstrapServers(), topics.emotionPredictions(), load, d.grace().toMillis(), from, to);
          Thread publisher = new Thread(load, "scale-publisher");
          publisher.start();
          meter.readUntil(to + 5000);
          publisher.join(10_000);
          long expected = load.windowsClosedBetween(from, to, d.windowSize().toMillis(), d.advance().toMillis(), d.grace().toMillis());
          boolean held = meter.windows() >= expected && meter.eventToPrediction().percentile(0.99) <= 1500;
          String line = String.format(Locale.ROOT, "instances=%d streams=%d windows/s=%.1f event_p99_ms=%d held=%s (%d of %d windows)",
              k, streams, meter.windows() / (double) measureSeconds, meter.eventToPrediction().percentile(0.99),
              held ? "yes" : "no", meter.windows(), expected);
          System.out.println(line);
          summaries.add(line);
        } finally {
          for (ServeProcess p : instances) {
            p.kill();
          }
        }
      }
    }
    System.out.println();
    summaries.forEach(System.out::println);
    return 0;
  }

  private static void awaitMembers(Admin admin, String group, int k) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      var members = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
      if (members.size() == k && members.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("group " + group + " did not reach " + k + " members with partitions in 2 minutes");
  }
}
