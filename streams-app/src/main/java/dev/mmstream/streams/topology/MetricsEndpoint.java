package dev.mmstream.streams.topology;

import com.sun.net.httpserver.HttpServer;
import dev.mmstream.schema.v1.DeadLetterReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Serves the app's metrics on http://127.0.0.1:PORT/metrics in Prometheus text format. Owns the
 * HTTP server; {@link #close()} stops it.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** @param models a line per served model: {@code task name version} */
  public static MetricsEndpoint start(String host, int port, AlignerMetrics metrics, Supplier<java.util.List<String[]>> models) {
    return start(host, port, metrics, models, null);
  }

  /** As above, with the process's gauges (heap, files, state size, lag) when {@code gauges} is not null. */
  static MetricsEndpoint start(String host, int port, AlignerMetrics metrics, Supplier<java.util.List<String[]>> models,
      ProcessGauges gauges) {
    try {
      var server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
      server.createContext("/metrics", exchange -> {
        var text = new StringBuilder(render(metrics, models.get()));
        if (gauges != null) {
          gauges.render(text);
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      return new MetricsEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + " (port in use? pass --metrics-port)", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  static String render(AlignerMetrics m, java.util.List<String[]> models) {
    var sb = new StringBuilder();
    counter(sb, "mmstream_windows_scored_total", "Windows scored into predictions.", m.windows());
    counter(sb, "mmstream_inference_batches_total", "Inference runs (batches of windows).", m.batches());
    counter(sb, "mmstream_late_records_total", "Records that arrived after their windows closed.", m.lateRecords());
    sb.append("# HELP mmstream_dead_letters_total Records and windows sent to the dead-letter topic.\n");
    sb.append("# TYPE mmstream_dead_letters_total counter\n");
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      sb.append(String.format(Locale.ROOT, "mmstream_dead_letters_total{reason=\"%s\"} %d%n", reason, m.deadLetters(reason)));
    }
    sb.append("# HELP mmstream_window_latency_ms Window close to prediction, milliseconds.\n");
    sb.append("# TYPE mmstream_window_latency_ms histogram\n");
    long cumulative = 0;
    for (int i = 0; i <= AlignerMetrics.LATENCY_BUCKETS_MS.length; i++) {
      cumulative += m.latencyBucket(i);
      String le = i < AlignerMetrics.LATENCY_BUCKETS_MS.length ? Long.toString(AlignerMetrics.LATENCY_BUCKETS_MS[i]) : "+Inf";
      sb.append(String.format(Locale.ROOT, "mmstream_window_latency_ms_bucket{le=\"%s\"} %d%n", le, cumulative));
    }
    sb.append(String.format(Locale.ROOT, "mmstream_window_latency_ms_sum %d%n", m.latencySumMs()));
    sb.append(String.format(Locale.ROOT, "mmstream_window_latency_ms_count %d%n", cumulative));
    sb.append("# HELP mmstream_model_info The model serving each task.\n# TYPE mmstream_model_info gauge\n");
    for (String[] model : models) {
      sb.append(String.format(Locale.ROOT, "mmstream_model_info{task=\"%s\",name=\"%s\",version=\"%s\"} 1%n", model[0], model[1], model[2]));
    }
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    sb.append(name).append(' ').append(value).append('\n');
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
