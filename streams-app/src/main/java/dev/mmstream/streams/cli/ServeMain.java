package dev.mmstream.streams.cli;

import dev.mmstream.cli.Cli;
import dev.mmstream.cli.KafkaClientCommand;
import dev.mmstream.schema.ClusterWatch;
import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.KafkaReachability;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.config.StreamsAppConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelLoadException;
import dev.mmstream.streams.inference.ModelRegistry;
import dev.mmstream.streams.topology.StreamsApp;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code ./mmstream serve}: the Kafka Streams app with the models of a directory. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Runs the streams app: aligns the feature topics per stream in event time, scores closed windows",
        "with the ONNX model of each task (hot-swapped when a new version lands in --models) and publishes predictions.",
        "Exactly-once: run more instances with the same --app-id to scale out."})
public final class ServeMain implements Callable<Integer>, KafkaClientCommand {
  @Option(names = "--models", defaultValue = "models/pretrained", description = "Folder of exported models (*.onnx), one per"
      + " task (default: ${DEFAULT-VALUE}, the shipped emotion model).")
  Path models;
  @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;
  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or cuda (default: ${DEFAULT-VALUE}).")
  String device;
  @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
  int threads;
  @Option(names = "--inference-threads", defaultValue = "1", description = "ONNX Runtime intra-op threads per model (default: ${DEFAULT-VALUE}).")
  int inferenceThreads;
  @Option(names = "--app-id", defaultValue = "mmstream-streams", description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
  String appId;
  @Option(names = "--state-dir", defaultValue = "work/streams-state", description = "Local state folder (default: ${DEFAULT-VALUE}).")
  Path stateDir;
  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;
  @Option(names = "--metrics-port", defaultValue = "9400", description = "Port of Prometheus /metrics on --metrics-host (0 = off; default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--metrics-host", defaultValue = StreamsAppConfig.LOOPBACK,
      description = "Address /metrics listens on; 0.0.0.0 lets a Prometheus in the cluster scrape it (default: ${DEFAULT-VALUE}).")
  String metricsHost;
  @Option(names = "--window-ms", defaultValue = "4000", description = "Emotion window length (default: ${DEFAULT-VALUE}).")
  long windowMs;
  @Option(names = "--advance-ms", defaultValue = "1000", description = "Emotion window hop (default: ${DEFAULT-VALUE}).")
  long advanceMs;
  @Option(names = "--grace-ms", defaultValue = "500", description = "How far audio and video must pass a window's end before it closes (default: ${DEFAULT-VALUE}).")
  long graceMs;
  @Option(names = "--idle-timeout-ms", defaultValue = "5000", description = "Close a silent stream's windows after this much wall-clock time (default: ${DEFAULT-VALUE}).")
  long idleMs;
  @Option(names = "--max-batch", defaultValue = "64", description = "Most windows per inference run (default: ${DEFAULT-VALUE}).")
  int maxBatch;
  @Option(names = "--batch-wait-ms", defaultValue = "50", description = "Longest a closed window waits for others to share"
      + " its inference run (default: ${DEFAULT-VALUE}; 0 = score at once).")
  int batchWaitMs;

  @Option(names = "--outage-s", defaultValue = "300", description = "How long the app waits for a Kafka cluster that"
      + " stopped answering before it exits with code 1 (default: ${DEFAULT-VALUE}).")
  int outageSeconds;

  private KafkaClientSettings kafka = KafkaClientSettings.NONE;

  public static void main(String[] args) {
    System.exit(Cli.execute(new ServeMain(), args));
  }

  @Override
  public void useKafkaClientSettings(KafkaClientSettings settings) {
    kafka = settings;
  }

  @Override
  public Integer call() throws Exception {
    try {
      return serve();
    } catch (KafkaReachability.Unreachable | ModelLoadException | IllegalArgumentException | UncheckedIOException e) {
      System.err.println("mmstream serve: " + e.getMessage());
      return 1;
    }
  }

  /** The models first (local, quick to check), then the cluster, then the app until Ctrl-C. */
  private int serve() throws Exception {
    var defaults = AlignmentConfig.defaults();
    var alignment = new AlignmentConfig(Duration.ofMillis(windowMs), Duration.ofMillis(advanceMs), Duration.ofMillis(graceMs),
        Duration.ofMillis(idleMs), defaults.startTimeout(), defaults.genreMaxDuration(), defaults.scoringInterval(), maxBatch,
        Duration.ofMillis(batchWaitMs));
    var config = new StreamsAppConfig(bootstrap, appId, new Topics(topicPrefix), stateDir, threads, alignment, metricsPort,
        metricsHost, kafka);
    var settings = new InferenceSettings(Device.parse(device), inferenceThreads, maxBatch, alignment.hopping());
    try (var registry = ModelRegistry.open(models, settings, ModelRegistry.DEFAULT_POLL)) {
      KafkaReachability.require(bootstrap, kafka, config.topics().all().stream().<String>map(Topic::name).toList(),
          KafkaReachability.DEFAULT_TIMEOUT);
      var gaveUp = new AtomicBoolean();
      try (var app = StreamsApp.start(config, registry);
          var cluster = ClusterWatch.start(bootstrap, kafka, Duration.ofSeconds(outageSeconds),
              message -> System.err.println("mmstream serve: " + message),
              () -> {
                gaveUp.set(true);
                new Thread(app::abandon, "serve-give-up").start();
              })) {
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "serve-shutdown"));
        for (Task task : Task.values()) {
          registry.contract(task).ifPresent(c -> System.out.println("serving " + task.name().toLowerCase(java.util.Locale.ROOT) + " with " + c.id() + " (" + c.file() + ")"));
        }
        System.out.println("mmstream streams app running on " + bootstrap
            + (metricsPort > 0 ? "; metrics on http://" + metricsHost + ":" + app.metricsPort() + "/metrics" : "") + " (Ctrl-C to stop)");
        app.awaitShutdown();
      }
      return gaveUp.get() ? 1 : 0;
    }
  }
}
