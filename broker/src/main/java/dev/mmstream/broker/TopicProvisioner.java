package dev.mmstream.broker;

import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the project's topics that are missing; existing topics are left as they are. */
public final class TopicProvisioner {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private TopicProvisioner() {}

  /** @return the names of the topics this call created (empty on a second start). */
  public static List<String> ensureTopics(String bootstrapServers, Topics topics, int partitions) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing =
          topics.all().stream()
              .map(Topic::name)
              .filter(name -> !existing.contains(name))
              .map(name -> new NewTopic(name, partitions, (short) 1))
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      return missing.stream().map(NewTopic::name).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }
}
