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
      "A second start on the same --data-dir keeps the data.",
      "With --tls-keystore, clients must connect over TLS and authenticate with SASL/SCRAM-SHA-512 as one of",
      "the --scram-users (their settings go in each command's --config FILE as kafka.* keys: see the README)."
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

  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "PKCS12 keystore with the broker's key and certificate: clients then need TLS + SASL/SCRAM.")
  Path tlsKeystore;

  @Option(names = "--tls-keystore-password-file", paramLabel = "FILE", description = "File holding the keystore's password.")
  Path tlsKeystorePasswordFile;

  @Option(names = "--scram-users", paramLabel = "FILE",
      description = "name=password lines: the SCRAM-SHA-512 users created (or updated) at each start.")
  Path scramUsers;

  public static void main(String[] args) {
    System.exit(Cli.execute(new BrokerMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    long started = System.nanoTime();
    KraftBroker broker;
    try {
      var config = new BrokerConfig(port, controllerPort, dataDir, partitions, topicPrefix);
      if (tlsKeystore != null) {
        config = config.withSecurity(BrokerSecurity.read(tlsKeystore, tlsKeystorePasswordFile, scramUsers));
      } else if (tlsKeystorePasswordFile != null || scramUsers != null) {
        throw new IllegalArgumentException("--tls-keystore-password-file and --scram-users need --tls-keystore");
      }
      broker = KraftBroker.start(config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("mmstream broker: " + e.getMessage());
      return 1;
    }
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
    var created = TopicProvisioner.ensureTopics(broker.internalBootstrapServers(), new Topics(topicPrefix), partitions);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "mmstream broker ready on %s in %.1f s (data in %s; %d topics created%s)%n",
        broker.bootstrapServers(),
        seconds,
        dataDir.toAbsolutePath(),
        created.size(),
        created.isEmpty() ? ", all already present" : ": " + String.join(", ", created));
    System.out.println("bootstrap servers: " + broker.bootstrapServers()
        + (broker.config().secured() ? " (TLS + SASL/" + BrokerSecurity.MECHANISM + ", users "
            + String.join(", ", broker.config().security().users().keySet()) + ")" : "") + "   (Ctrl-C to stop)");
    stopped.await();
    return 0;
  }
}
