package dev.mmstream.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the embedded single-node broker. It always listens on 127.0.0.1: it is a development
 * and test broker, never exposed to the network.
 *
 * @param port client listener port (0 = pick a free one)
 * @param controllerPort KRaft controller listener port (0 = pick a free one)
 * @param dataDir where logs and cluster metadata live; reused across starts
 * @param partitions partitions of each project topic
 * @param topicPrefix prefix of the project topics (default {@code mm.})
 * @param security TLS + SASL/SCRAM on the client listener, or null for plaintext
 */
public record BrokerConfig(
    int port, int controllerPort, Path dataDir, int partitions, String topicPrefix, BrokerSecurity security) {
  public static final String HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9092;

  public BrokerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    checkPort("--port", port);
    checkPort("--controller-port", controllerPort);
    if (port != 0 && port == controllerPort) {
      throw new IllegalArgumentException(
          "--port and --controller-port are both " + port + ": give them different values");
    }
    if (partitions < 1 || partitions > 1000) {
      throw new IllegalArgumentException(
          "--partitions " + partitions + " is out of range: use 1..1000");
    }
  }

  /** A plaintext broker. */
  public BrokerConfig(int port, int controllerPort, Path dataDir, int partitions, String topicPrefix) {
    this(port, controllerPort, dataDir, partitions, topicPrefix, null);
  }

  /** Whether clients must come over TLS and authenticate with SASL/SCRAM. */
  public boolean secured() {
    return security != null;
  }

  /** The same broker with TLS + SASL/SCRAM on its client listener. */
  public BrokerConfig withSecurity(BrokerSecurity security) {
    return new BrokerConfig(port, controllerPort, dataDir, partitions, topicPrefix, security);
  }

  /** A broker on free ports in {@code dataDir}, as the integration tests use it. */
  public static BrokerConfig ephemeral(Path dataDir, int partitions) {
    return new BrokerConfig(0, 0, dataDir, partitions, "mm.");
  }

  private static void checkPort(String name, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(name + " " + value + " is not a TCP port: use 1..65535");
    }
  }
}
