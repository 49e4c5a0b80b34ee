package dev.mmstream.schema;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Asks the cluster every few seconds whether it answers, so that a long-running command (serve, watch) says that
 * Kafka is away instead of retrying in silence, and gives up after {@code outage} instead of spinning forever:
 * {@code giveUp} runs once, and the command exits non-zero (an orchestrator then restarts it when Kafka is back).
 * Owns its admin client and thread; {@link #close()} stops both.
 */
public final class ClusterWatch implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(5);
  static final Duration REPEAT = Duration.ofSeconds(30);

  private final String bootstrap;
  private final Duration outage;
  private final Consumer<String> report;
  private final Runnable giveUp;
  private final LongSupplier clockMs;
  private final Admin admin;
  private final ScheduledExecutorService timer;
  private long awaySinceMs = -1;
  private long reportedAtMs = -1;
  private boolean gaveUp;

  private ClusterWatch(String bootstrap, KafkaClientSettings client, Duration outage, Consumer<String> report,
      Runnable giveUp, LongSupplier clockMs) {
    this.bootstrap = bootstrap;
    this.outage = outage;
    this.report = report;
    this.giveUp = giveUp;
    this.clockMs = clockMs;
    int timeout = (int) EVERY.toMillis();
    this.admin = Admin.create(client.over(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout)));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kafka-cluster-watch");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts watching the cluster at {@code bootstrap}. */
  public static ClusterWatch start(String bootstrap, KafkaClientSettings client, Duration outage, Consumer<String> report,
      Runnable giveUp) {
    var watch = new ClusterWatch(bootstrap, client, outage, report, giveUp, System::currentTimeMillis);
    watch.timer.scheduleWithFixedDelay(watch::probe, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  private void probe() {
    boolean answers;
    try {
      admin.describeCluster().nodes().get(EVERY.toMillis(), TimeUnit.MILLISECONDS);
      answers = true;
    } catch (Exception e) {
      answers = false;
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    observed(answers);
  }

  /** What one probe found; separate from the probe so that the reporting can be tested without a cluster. */
  synchronized void observed(boolean answers) {
    long now = clockMs.getAsLong();
    if (answers) {
      if (awaySinceMs >= 0) {
        report.accept(String.format(Locale.ROOT, "Kafka at %s answers again after %d s", bootstrap, (now - awaySinceMs) / 1000));
      }
      awaySinceMs = -1;
      reportedAtMs = -1;
      return;
    }
    if (awaySinceMs < 0) {
      awaySinceMs = now - EVERY.toMillis();
    }
    long away = now - awaySinceMs;
    if (away >= outage.toMillis()) {
      if (!gaveUp) {
        gaveUp = true;
        report.accept(String.format(Locale.ROOT, "Kafka at %s has not answered for %d s (--outage-s %d): giving up"
            + " (exit code 1)", bootstrap, away / 1000, outage.toSeconds()));
        giveUp.run();
      }
    } else if (reportedAtMs < 0 || now - reportedAtMs >= REPEAT.toMillis()) {
      reportedAtMs = now;
      report.accept(String.format(Locale.ROOT, "Kafka at %s does not answer (for %d s); waiting up to %d s (--outage-s)",
          bootstrap, away / 1000, outage.toSeconds()));
    }
  }

  static ClusterWatch forTest(Duration outage, Consumer<String> report, Runnable giveUp, LongSupplier clockMs) {
    return new ClusterWatch("127.0.0.1:1", KafkaClientSettings.NONE, outage, report, giveUp, clockMs);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(Duration.ofSeconds(1));
  }
}
