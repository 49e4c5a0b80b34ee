package dev.mmstream.streams.cli;

import dev.mmstream.cli.Cli;
import dev.mmstream.cli.KafkaClientCommand;
import dev.mmstream.schema.ClusterWatch;
import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.KafkaReachability;
import dev.mmstream.schema.RecordDecodingException;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Prediction;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./mmstream watch}: print predictions as they arrive (committed ones only). */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Subscribes to the predictions of a task and prints each as a line:",
        "time, stream, window, top labels (* = decision), modalities present (T A V), the input that drove it, model, latency."})
public final class WatchMain implements Callable<Integer>, KafkaClientCommand {
  @Option(names = "--task", defaultValue = "emotion", description = "emotion or genre (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--from-beginning", description = "Print the topic's earlier predictions too.")
  boolean fromBeginning;

  @Option(names = "--top", defaultValue = "3", description = "Labels shown per prediction (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--max", defaultValue = "0", description = "Stop after this many predictions (0 = run until Ctrl-C).")
  int max;

  @Option(names = "--timeout-s", defaultValue = "0", description = "Stop after this many seconds (0 = no limit).")
  int timeoutSeconds;

  @Option(names = "--outage-s", defaultValue = "300", description = "How long to wait for a Kafka cluster that stopped"
      + " answering before exiting with code 1 (default: ${DEFAULT-VALUE}).")
  int outageSeconds;

  private KafkaClientSettings kafka = KafkaClientSettings.NONE;

  public static void main(String[] args) {
    System.exit(Cli.execute(new WatchMain(), args));
  }

  @Override
  public void useKafkaClientSettings(KafkaClientSettings settings) {
    kafka = settings;
  }

  @Override
  public Integer call() {
    var topics = new Topics(topicPrefix);
    var topic = switch (task.toLowerCase(Locale.ROOT)) {
      case "emotion" -> topics.emotionPredictions();
      case "genre" -> topics.genrePredictions();
      default -> throw new CommandLine.ParameterException(new CommandLine(this), "--task " + task + ": use emotion or genre");
    };
    try {
      KafkaReachability.require(bootstrap, kafka, List.of(topic.name()), KafkaReachability.DEFAULT_TIMEOUT);
    } catch (KafkaReachability.Unreachable e) {
      System.err.println("mmstream watch: " + e.getMessage());
      return 1;
    }
    var serde = AvroSerde.of(Prediction.class);
    long deadline = timeoutSeconds > 0 ? System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos() : Long.MAX_VALUE;
    int printed = 0;
    var gaveUp = new AtomicBoolean();
    try (var cluster = ClusterWatch.start(bootstrap, kafka, Duration.ofSeconds(outageSeconds),
            message -> System.err.println("mmstream watch: " + message), () -> gaveUp.set(true));
        var consumer = new KafkaConsumer<String, byte[]>(kafka.over(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "mmstream-watch-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      System.err.println("watching " + topic.name() + " on " + bootstrap + " (Ctrl-C to stop)");
      while (System.nanoTime() < deadline && (max == 0 || printed < max) && !gaveUp.get()) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (max > 0 && printed == max) {
            break;  // a poll can return more than --max asks for
          }
          try {
            System.out.println(PredictionFormat.line(serde.decode(topic.name(), record.value()), top));
          } catch (RecordDecodingException e) {
            System.out.println("undecodable prediction at offset " + record.offset() + ": " + e.getMessage());
          }
          printed++;
        }
      }
      if (gaveUp.get()) {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));  // no cluster to leave: do not wait 30 s for it
      }
    }
    return gaveUp.get() ? 1 : 0;
  }
}
