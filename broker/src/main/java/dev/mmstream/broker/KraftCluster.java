package dev.mmstream.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real multi-node KRaft cluster in this JVM, on loopback ports, from Maven artifacts: every node a broker and a
 * controller voter, internal topics with replication factor {@code min(3, nodes)} and min ISR {@code that - 1}, as a
 * production cluster runs them. Nodes can be stopped and started again on the same ports and storage, to test
 * what clients do when a broker goes away. Owns its servers; {@link #close()} stops them all.
 */
public final class KraftCluster implements AutoCloseable {
  private final List<Properties> nodeProps = new ArrayList<>();
  private final List<KafkaRaftServer> servers = new ArrayList<>();
  private final List<Integer> brokerPorts = new ArrayList<>();

  private KraftCluster() {}

  /** Formats {@code nodes} storages under {@code dataDir} (one cluster id) and starts them together. */
  public static KraftCluster start(Path dataDir, int nodes, int partitions) {
    if (nodes < 1 || nodes > 9) {
      throw new IllegalArgumentException("a cluster of " + nodes + " nodes: use 1..9");
    }
    var cluster = new KraftCluster();
    List<Integer> controllerPorts = IntStream.range(0, nodes).mapToObj(i -> FreePorts.pick()).toList();
    String voters = IntStream.range(0, nodes)
        .mapToObj(i -> (i + 1) + "@" + BrokerConfig.HOST + ":" + controllerPorts.get(i)).collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    int replication = Math.min(3, nodes);
    for (int i = 0; i < nodes; i++) {
      int port = FreePorts.pick();
      cluster.brokerPorts.add(port);
      Path nodeDir = dataDir.resolve("node-" + (i + 1));
      var p = nodeProperties(i + 1, port, controllerPorts.get(i), voters, nodeDir, partitions, replication);
      KraftBroker.format(nodeDir, p, clusterId);
      cluster.nodeProps.add(p);
      cluster.servers.add(null);
    }
    // A node's startup waits for a controller quorum, which needs a majority of the nodes: start them together.
    CompletableFuture.allOf(IntStream.range(0, nodes).mapToObj(i -> CompletableFuture.runAsync(() -> cluster.startNode(i)))
        .toArray(CompletableFuture[]::new)).join();
    return cluster;
  }

  private static Properties nodeProperties(int nodeId, int port, int controllerPort, String voters, Path dir,
      int partitions, int replication) {
    var p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put("listeners", "PLAINTEXT://" + BrokerConfig.HOST + ":" + port + ",CONTROLLER://" + BrokerConfig.HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + BrokerConfig.HOST + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.quorum.voters", voters);
    p.put("log.dirs", dir.resolve("logs").toAbsolutePath().toString());
    p.put("num.partitions", Integer.toString(partitions));
    p.put("auto.create.topics.enable", "false");
    p.put("default.replication.factor", Integer.toString(replication));
    p.put("min.insync.replicas", Integer.toString(Math.max(1, replication - 1)));
    KraftBroker.internalTopics(p, replication);
    return p;
  }

  private void startNode(int i) {
    var server = new KafkaRaftServer(new KafkaConfig(nodeProps.get(i), false), Time.SYSTEM);
    synchronized (servers) {
      servers.set(i, server);
    }
    server.startup();
  }

  /** Every node's client listener, comma-separated. */
  public String bootstrapServers() {
    return brokerPorts.stream().map(p -> BrokerConfig.HOST + ":" + p).collect(Collectors.joining(","));
  }

  public int size() {
    return brokerPorts.size();
  }

  /** Shuts node {@code i} (0-based) down cleanly and waits; its ports and storage stay for {@link #startNode}. */
  public void stopNode(int i) {
    KafkaRaftServer server;
    synchronized (servers) {
      server = servers.set(i, null);
    }
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  /** Starts node {@code i} again on its ports and storage. */
  public void restartNode(int i) {
    startNode(i);
  }

  @Override
  public void close() {
    List<KafkaRaftServer> running;
    synchronized (servers) {
      running = servers.stream().filter(java.util.Objects::nonNull).toList();
      servers.replaceAll(s -> null);
    }
    // Together: a broker's controlled shutdown needs a controller quorum, which the nodes stopped before it would
    // have taken away (the last node would wait minutes for a majority that is gone).
    CompletableFuture.allOf(running.stream().map(server -> CompletableFuture.runAsync(() -> {
      server.shutdown();
      server.awaitShutdown();
    })).toArray(CompletableFuture[]::new)).join();
  }
}
