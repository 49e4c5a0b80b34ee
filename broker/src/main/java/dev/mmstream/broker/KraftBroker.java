package dev.mmstream.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker + controller), in this JVM, from
 * Maven artifacts alone. Formats its storage on first start and keeps it on later starts: it is a
 * broker, not a fixture. Owns the server; {@link #close()} shuts it down and waits.
 *
 * <p>Secured ({@link BrokerConfig#security()}), clients connect over TLS and authenticate with SASL/SCRAM-SHA-512;
 * the broker talks to itself (inter-broker traffic, and creating its users and topics at start) over a plaintext
 * listener on 127.0.0.1 that it does not advertise to clients, as the whole embedded broker stays on loopback.
 */
public final class KraftBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KraftBroker.class);
  private static final int NODE_ID = 1;

  private final BrokerConfig config;
  private final int port;
  private final int internalPort;
  private final KafkaRaftServer server;
  private boolean closed;

  private KraftBroker(BrokerConfig config, int port, int internalPort, KafkaRaftServer server) {
    this.config = config;
    this.port = port;
    this.internalPort = internalPort;
    this.server = server;
  }

  /** Formats storage if needed and starts the broker; returns once it accepts connections. */
  public static KraftBroker start(BrokerConfig config) {
    int port = config.port() == 0 ? FreePorts.pick() : config.port();
    int controllerPort = config.controllerPort() == 0 ? FreePorts.pick() : config.controllerPort();
    int internalPort = config.secured() ? FreePorts.pick() : port;
    Properties props = serverProperties(config, port, controllerPort);
    if (config.secured()) {
      BrokerListeners.secure(props, config.security(), port, internalPort, controllerPort);
    }
    format(config.dataDir(), props);
    var server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown();
      throw new IllegalStateException(
          "broker did not start on " + BrokerConfig.HOST + ":" + port + " (is the port in use, or is "
              + config.dataDir() + " used by another broker?): " + e.getMessage(),
          e);
    }
    var broker = new KraftBroker(config, port, internalPort, server);
    if (config.secured()) {
      try {
        ScramUsers.upsert(broker.internalBootstrapServers(), config.security().users());
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
    }
    return broker;
  }

  /** Where clients connect: over TLS with SASL/SCRAM when the broker is secured. */
  public String bootstrapServers() {
    return BrokerConfig.HOST + ":" + port;
  }

  /** The broker's own plaintext listener on loopback (the client listener when it is not secured). */
  public String internalBootstrapServers() {
    return BrokerConfig.HOST + ":" + internalPort;
  }

  public BrokerConfig config() {
    return config;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties serverProperties(BrokerConfig config, int port, int controllerPort) {
    var p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("listeners", "PLAINTEXT://" + BrokerConfig.HOST + ":" + port + ",CONTROLLER://" + BrokerConfig.HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + BrokerConfig.HOST + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.quorum.bootstrap.servers", BrokerConfig.HOST + ":" + controllerPort);
    p.put("log.dirs", config.dataDir().resolve("logs").toAbsolutePath().toString());
    p.put("num.partitions", Integer.toString(config.partitions()));
    p.put("auto.create.topics.enable", "false");
    internalTopics(p, 1);  // single node: every internal topic has one replica
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    return p;
  }

  /**
   * Kafka's internal topics (offsets, transactions, share state) with {@code replication} replicas and a min ISR one
   * lower (at least 1), and no delay before a group's first rebalance (tests and demos start consumers at once).
   */
  static void internalTopics(Properties p, int replication) {
    String isr = Integer.toString(Math.max(1, replication - 1));
    p.put("offsets.topic.replication.factor", Integer.toString(replication));
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.replication.factor", Integer.toString(replication));
    p.put("transaction.state.log.min.isr", isr);
    p.put("transaction.state.log.num.partitions", "10");
    p.put("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
    p.put("share.coordinator.state.topic.min.isr", isr);
    p.put("group.initial.rebalance.delay.ms", "0");
  }

  private static Properties withoutSecrets(Properties props) {
    var copy = new Properties();
    props.stringPropertyNames().stream().filter(k -> !k.contains("password") && !k.contains("jaas"))
        .forEach(k -> copy.setProperty(k, props.getProperty(k)));
    return copy;
  }

  /** Runs Kafka's own storage formatter on first start; later starts keep the data as it is. */
  private static void format(Path dataDir, Properties props) {
    format(dataDir, props, Uuid.randomUuid().toString(), "--standalone");
  }

  /**
   * As above, for a node of a cluster: {@code clusterId} is the same on every node, {@code quorum} the formatter's
   * quorum arguments ({@code --standalone} for one node; none when {@code controller.quorum.voters} names them).
   */
  static void format(Path dataDir, Properties props, String clusterId, String... quorum) {
    try {
      Files.createDirectories(dataDir);
      Path file = dataDir.resolve("server.properties");
      try (OutputStream out = Files.newOutputStream(file)) {
        withoutSecrets(props).store(out, "written by mmstream broker for its storage formatter; regenerated at each "
            + "start; passwords are left out");
      }
      if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
        log.info("reusing broker storage in {}", dataDir);
        return;
      }
      var output = new ByteArrayOutputStream();
      int code;
      try (var print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        code =
            StorageTool.execute(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("format"),
                    java.util.stream.Stream.concat(java.util.Arrays.stream(quorum),
                        java.util.stream.Stream.of("-t", clusterId, "-c", file.toString()))).toArray(String[]::new),
                print);
      }
      String message = output.toString(StandardCharsets.UTF_8).strip();
      if (code != 0) {
        throw new IllegalStateException(
            "formatting broker storage in " + dataDir + " failed: " + message
                + " (delete the folder to start from scratch)");
      }
      log.debug("storage: {}", message);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare broker data dir " + dataDir, e);
    }
  }
}
