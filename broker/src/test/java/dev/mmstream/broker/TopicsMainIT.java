package dev.mmstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmstream.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./mmstream topics} on a real broker: create is idempotent, check reports what differs from the plan. */
class TopicsMainIT {
  @TempDir Path dataDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine line = Cli.commandLine(new TopicsMain()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    return line.execute(args);
  }

  @Test
  void createsOnceChecksThePlanAndSaysWhatDiffers() {
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dataDir, 1))) {
      String bootstrap = broker.bootstrapServers();
      String[] plan = {"--bootstrap", bootstrap, "--topic-prefix", "t.", "--partitions", "3", "--replication-factor", "1"};

      assertThat(run(concat("check", plan))).as(err.toString()).isEqualTo(1);
      assertThat(err.toString()).contains("t.video.frames is missing: ./mmstream topics create adds it");

      assertThat(run(concat("create", plan))).as(err.toString()).isZero();
      assertThat(out.toString()).contains("created t.stream.events").contains("8 topics match the plan");

      assertThat(run(concat("create", plan))).isZero();
      assertThat(out.toString()).contains("every topic was already there");

      assertThat(run("check", "--bootstrap", bootstrap, "--topic-prefix", "t.", "--partitions", "6",
          "--replication-factor", "1")).isEqualTo(1);
      assertThat(err.toString()).contains("t.audio.logmel has 3 partitions, fewer than the planned 6");

      // the thumbnails' short retention is part of the plan: a topic kept longer is reported
      setRetention(bootstrap, "t.video.thumbnails", "604800000");
      assertThat(run(concat("check", plan))).isEqualTo(1);
      assertThat(err.toString()).contains("t.video.thumbnails has retention.ms=604800000, not the planned 3600000");

      assertThat(run("create", "--bootstrap", bootstrap, "--topic-prefix", "u.", "--partitions", "3",
          "--replication-factor", "3")).isEqualTo(1);
      assertThat(err.toString()).startsWith("mmstream topics: cannot create topics on " + bootstrap)
          .containsIgnoringCase("replication factor").doesNotContain("\tat ");
    }
  }

  @Test
  void anUnreachableClusterIsOneLine() {
    assertThat(run("check", "--bootstrap", "127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString()).startsWith("mmstream topics: cannot reach Kafka at 127.0.0.1:1").hasLineCount(1);
  }

  /** Sets the topic's retention and waits until the broker describes it so (the change reaches it asynchronously). */
  private static void setRetention(String bootstrap, String topic, String ms) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      var op = new AlterConfigOp(new ConfigEntry("retention.ms", ms), AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
      await("the broker describes " + topic + " with retention.ms=" + ms).atMost(Duration.ofSeconds(30))
          .until(() -> ms.equals(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
              .get(resource).get("retention.ms").value()));
    } catch (Exception e) {
      throw new AssertionError("cannot set " + topic + "'s retention", e);
    }
  }

  private static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
