package dev.mmstream.streams.topology;

import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.StreamsAppConfig;
import dev.mmstream.streams.deadletter.DeadLetters;
import dev.mmstream.streams.inference.WindowScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the streams app: the Kafka Streams client over {@link MmTopology} and the
 * metrics endpoint. Owns both; {@link #close()} stops them. The scorer is owned by the caller.
 */
public final class StreamsApp implements AutoCloseable {
  public static final String VERSION = "0.1.0";
  private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

  private final KafkaStreams streams;
  private final MetricsEndpoint metricsEndpoint;
  private final AlignerMetrics metrics;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private StreamsApp(KafkaStreams streams, MetricsEndpoint metricsEndpoint, AlignerMetrics metrics) {
    this.streams = streams;
    this.metricsEndpoint = metricsEndpoint;
    this.metrics = metrics;
  }

  public static StreamsApp start(StreamsAppConfig config, WindowScorer scorer) {
    var metrics = new AlignerMetrics();
    var topology = new MmTopology(config.topics(), config.alignment(), scorer, new DeadLetters(VERSION), metrics).build();
    var streams = new KafkaStreams(topology, config.streamsProperties());
    // A bug or lost infrastructure: replace the thread (its tasks restart from the last commit, exactly once).
    streams.setUncaughtExceptionHandler(e -> {
      log.error("stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    MetricsEndpoint endpoint = config.metricsPort() > 0
        ? MetricsEndpoint.start(config.metricsHost(), config.metricsPort(), metrics, () -> models(scorer),
            new ProcessGauges(streams, config.stateDir())) : null;
    var app = new StreamsApp(streams, endpoint, metrics);
    streams.setStateListener((now, before) -> {
      log.info("streams app {} -> {}", before, now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        app.stopped.countDown();
      }
    });
    streams.start();
    return app;
  }

  private static List<String[]> models(WindowScorer scorer) {
    var lines = new ArrayList<String[]>();
    for (Task task : List.of(Task.EMOTION, Task.GENRE)) {
      scorer.contract(task).ifPresent(c -> lines.add(new String[] {task.name().toLowerCase(java.util.Locale.ROOT), c.name(), c.version()}));
    }
    return lines;
  }

  public AlignerMetrics metrics() {
    return metrics;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public int metricsPort() {
    return metricsEndpoint == null ? 0 : metricsEndpoint.port();
  }

  /** Blocks until the app stops (close, or a fatal error). */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /** Stops without waiting for a cluster that is gone: no group to leave, nothing to commit. */
  public void abandon() {
    streams.close(Duration.ofSeconds(5));
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    stopped.countDown();
  }

  @Override
  public void close() {
    // Leave the group: a restarted or remaining instance takes the partitions over at once instead of
    // after the session timeout (Kafka Streams stays in the group on close by default).
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    stopped.countDown();
  }
}
