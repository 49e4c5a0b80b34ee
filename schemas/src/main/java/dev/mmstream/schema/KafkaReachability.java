package dev.mmstream.schema;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Checks, before a command starts its work, that the Kafka cluster answers and holds the topics the command
 * needs, so an unreachable broker is one clear line instead of client warnings forever.
 */
public final class KafkaReachability {
  /** How long a command waits for the cluster to answer at start. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private KafkaReachability() {}

  /** Thrown with the line to show the user. */
  public static final class Unreachable extends RuntimeException {
    public Unreachable(String message) {
      super(message);
    }
  }

  /** Waits up to {@code timeout} for the cluster at {@code bootstrap}, then checks that {@code topics} exist. */
  public static void require(String bootstrap, List<String> topics, Duration timeout) {
    require(bootstrap, KafkaClientSettings.NONE, topics, timeout);
  }

  /** As {@link #require(String, List, Duration)}, connecting with {@code client}'s settings (e.g. SASL over TLS). */
  public static void require(String bootstrap, KafkaClientSettings client, List<String> topics, Duration timeout) {
    var config = client.over(Map.<String, Object>of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
    Set<String> existing;
    try (Admin admin = Admin.create(config)) {
      existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        throw new Unreachable("Kafka at " + bootstrap + " refused the connection (" + client.securityProtocol() + "): "
            + refused.getMessage() + ": check the kafka.* client settings of --config");
      }
      throw unreachable(bootstrap, client, timeout);
    } catch (TimeoutException e) {
      throw unreachable(bootstrap, client, timeout);
    } catch (KafkaException e) {  // settings the client cannot use: a missing truststore, a bad JAAS line
      throw new Unreachable("cannot connect to Kafka at " + bootstrap + " with the kafka.* client settings of --config: "
          + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while connecting to Kafka at " + bootstrap);
    }
    List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
    if (!missing.isEmpty()) {
      throw new Unreachable("Kafka at " + bootstrap + " has no topic " + String.join(", ", missing) + ": ./mmstream broker"
          + " creates the project's topics; on another cluster run ./mmstream topics create --bootstrap " + bootstrap);
    }
  }

  private static Unreachable unreachable(String bootstrap, KafkaClientSettings client, Duration timeout) {
    return new Unreachable("cannot reach Kafka at " + bootstrap + " within " + timeout.toSeconds() + " s: start one with"
        + " ./mmstream broker, or pass --bootstrap HOST:PORT of a running cluster"
        + (client.values().isEmpty() ? " (a cluster that requires TLS or SASL needs its client settings in --config FILE,"
            + " e.g. kafka.security.protocol=SASL_SSL)" : ""));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
