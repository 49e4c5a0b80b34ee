package dev.mmstream.broker;

import dev.mmstream.cli.Cli;
import dev.mmstream.schema.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./mmstream broker}: a real single-node KRaft broker on 127.0.0.1 with the project's topics. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a real single-node Kafka broker (KRaft) on 127.0.0.1, formats its storage on first",
      "start, creates the project's topics and runs until Ctrl-C or SIGTERM.",
      "A second start on the same --data-dir keeps the data."
    })
public final class BrokerMain implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Option(names = "--data-dir", defaultValue = "work/broker", description = "Storage folder (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per project topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  public static void main(String[] args) {
    System.exit(Cli.execute(new BrokerMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    long started = System.nanoTime();
    var config = new BrokerConfig(port, controllerPort, dataDir, partitions, topicPrefix);
    var broker = KraftBroker.start(config);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping broker...");
                  broker.close();
                  System.out.println("broker stopped");
                  stopped.countDown();
                },
                "broker-shutdown"));
    var created = TopicProvisioner.ensureTopics(broker.bootstrapServers(), new Topics(topicPrefix), partitions);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "mmstream broker ready on %s in %.1f s (data in %s; %d topics created%s)%n",
        broker.bootstrapServers(),
        seconds,
        dataDir.toAbsolutePath(),
        created.size(),
        created.isEmpty() ? ", all already present" : ": " + String.join(", ", created));
    System.out.println("bootstrap servers: " + broker.bootstrapServers() + "   (Ctrl-C to stop)");
    stopped.await();
    return 0;
  }
}
