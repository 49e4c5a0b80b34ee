package dev.mmstream.broker;

import dev.mmstream.cli.Cli;
import dev.mmstream.cli.KafkaClientCommand;
import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.KafkaReachability;
import dev.mmstream.schema.Topics;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./mmstream topics create|check}: the project's topics on any cluster, created or checked against a plan. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "Creates the project's topics that are missing (create), or checks them against the plan (check): "
        + "exit 1 when one is missing or has fewer partitions or another replication factor.")
public final class TopicsMain implements Callable<Integer>, KafkaClientCommand {
  enum Action { create, check }

  @Parameters(index = "0", description = "create or check.")
  Action action;

  @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--partitions", defaultValue = "12",
      description = "Partitions per topic: at least the most streams-app instances (× threads) you will run (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "3",
      description = "Replicas per partition; 3 with min.insync.replicas 2 survives a broker loss (default: ${DEFAULT-VALUE}).")
  short replicationFactor;

  @Spec CommandSpec spec;

  private KafkaClientSettings kafka = KafkaClientSettings.NONE;

  @Override
  public void useKafkaClientSettings(KafkaClientSettings settings) {
    kafka = settings;
  }

  public static void main(String[] args) {
    System.exit(Cli.execute(new TopicsMain(), args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (partitions < 1 || replicationFactor < 1) {
      err.println("mmstream topics: --partitions and --replication-factor must be at least 1");
      return 2;
    }
    Topics topics = new Topics(topicPrefix);
    try {
      KafkaReachability.require(bootstrap, kafka, List.of(), KafkaReachability.DEFAULT_TIMEOUT);
      if (action == Action.create) {
        List<String> created = TopicProvisioner.ensureTopics(bootstrap, kafka, topics, partitions, replicationFactor);
        out.println(created.isEmpty() ? "every topic was already there"
            : "created " + String.join(", ", created) + " (" + partitions + " partitions, replication factor "
                + replicationFactor + ")");
      }
      List<String> problems = TopicProvisioner.check(bootstrap, kafka, topics, partitions, replicationFactor);
      problems.forEach(p -> err.println("mmstream topics: " + p));
      if (problems.isEmpty()) {
        out.println(topics.all().size() + " topics match the plan: " + partitions + " partitions, replication factor "
            + replicationFactor);
      }
      return problems.isEmpty() ? 0 : 1;
    } catch (KafkaReachability.Unreachable | IllegalStateException e) {
      err.println("mmstream topics: " + e.getMessage());
      return 1;
    }
  }
}
