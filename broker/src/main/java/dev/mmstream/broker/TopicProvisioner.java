package dev.mmstream.broker;

import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The project's topics as code: creates those that are missing (existing topics are left as they are) and
 * checks them against a plan (partitions for the most instances that will run, replication factor).
 */
public final class TopicProvisioner {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private TopicProvisioner() {}

  /** @return the names of the topics this call created (empty on a second start). */
  public static List<String> ensureTopics(String bootstrapServers, Topics topics, int partitions) {
    return ensureTopics(bootstrapServers, topics, partitions, (short) 1);
  }

  /** As {@link #ensureTopics(String, Topics, int)}, each new topic with {@code replicationFactor} replicas. */
  public static List<String> ensureTopics(String bootstrapServers, Topics topics, int partitions, short replicationFactor) {
    return ensureTopics(bootstrapServers, KafkaClientSettings.NONE, topics, partitions, replicationFactor);
  }

  /** As {@link #ensureTopics(String, Topics, int, short)}, connecting with {@code client}'s settings. */
  public static List<String> ensureTopics(String bootstrapServers, KafkaClientSettings client, Topics topics, int partitions,
      short replicationFactor) {
    try (Admin admin = admin(bootstrapServers, client)) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing =
          topics.all().stream()
              .filter(topic -> !existing.contains(topic.name()))
              .map(topic -> new NewTopic(topic.name(), partitions, replicationFactor).configs(topic.configs()))
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
          "cannot create topics on " + bootstrapServers + ": " + rootMessage(e), e);
    }
  }

  /**
   * What differs between the cluster's topics and the plan, one line each (empty when they match): a missing
   * topic, fewer partitions than planned (the instances beyond them would sit idle), another replication factor.
   */
  public static List<String> check(String bootstrapServers, KafkaClientSettings client, Topics topics, int partitions,
      short replicationFactor) {
    try (Admin admin = admin(bootstrapServers, client)) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<String> names = topics.all().stream().<String>map(Topic::name).toList();
      List<String> problems = new ArrayList<>();
      List<String> present = names.stream().filter(existing::contains).toList();
      names.stream().filter(n -> !existing.contains(n))
          .forEach(n -> problems.add(n + " is missing: ./mmstream topics create adds it"));
      Map<String, TopicDescription> described =
          admin.describeTopics(present).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      for (String name : present) {
        TopicDescription d = described.get(name);
        int have = d.partitions().size();
        if (have < partitions) {
          problems.add(name + " has " + have + " partitions, fewer than the planned " + partitions
              + ": streams-app instances beyond " + have + " would get no work (more partitions move keys: plan them"
              + " before the first stream)");
        }
        int replicas = d.partitions().get(0).replicas().size();
        if (replicas != replicationFactor) {
          problems.add(name + " has replication factor " + replicas + ", not the planned " + replicationFactor);
        }
      }
      problems.addAll(settingMismatches(admin, topics.all().stream().filter(t -> present.contains(t.name())).toList()));
      return problems;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot check topics on " + bootstrapServers + ": " + rootMessage(e), e);
    }
  }

  /** Topic-level settings (a thumbnail topic's retention, say) that differ from the ones it is created with. */
  private static List<String> settingMismatches(Admin admin, List<Topic<String, ?>> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    var withSettings = topics.stream().filter(t -> !t.configs().isEmpty()).toList();
    if (withSettings.isEmpty()) {
      return List.of();
    }
    Map<ConfigResource, Config> described = admin.describeConfigs(withSettings.stream()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList())
        .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    List<String> problems = new ArrayList<>();
    for (Topic<String, ?> topic : withSettings) {
      Config config = described.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      topic.configs().forEach((key, planned) -> {
        ConfigEntry entry = config.get(key);
        String have = entry == null ? null : entry.value();
        if (!planned.equals(have)) {
          problems.add(topic.name() + " has " + key + "=" + have + ", not the planned " + planned);
        }
      });
    }
    return problems;
  }

  private static Admin admin(String bootstrapServers, KafkaClientSettings client) {
    return Admin.create(client.over(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())));
  }

  private static String rootMessage(Exception e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
