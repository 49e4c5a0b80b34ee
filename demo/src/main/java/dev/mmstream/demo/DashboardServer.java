package dev.mmstream.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live dashboard on http://127.0.0.1:PORT/: a static page and a server-sent-events stream
 * ({@code /events}) of predictions and metrics. New clients first get the recent history. Owns the
 * HTTP server and its threads; {@link #close()} stops them.
 */
final class DashboardServer implements AutoCloseable {
  private static final int HISTORY = 2_000;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    var t = new Thread(r, "dashboard-http");
    t.setDaemon(true);
    return t;
  });
  private final List<OutputStream> clients = new ArrayList<>();
  private final Deque<String> history = new ArrayDeque<>();

  DashboardServer(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the dashboard on 127.0.0.1:" + port + " (port in use? pass --dashboard-port)", e);
    }
    server.setExecutor(executor);
    server.createContext("/events", this::events);
    server.createContext("/", this::page);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Sends one JSON event to every client (and keeps it for clients that connect later). */
  synchronized void publish(String json, boolean keep) {
    if (keep) {
      history.addLast(json);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
    }
    byte[] frame = ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    clients.removeIf(out -> !write(out, frame));
  }

  private void events(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    synchronized (this) {
      for (String json : history) {
        if (!write(out, ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8))) {
          return;
        }
      }
      clients.add(out);
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String resource = path.equals("/") ? "/dashboard/index.html" : "/dashboard" + path;
    try (InputStream in = DashboardServer.class.getResourceAsStream(resource)) {
      if (in == null || resource.contains("..")) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] body = in.readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", resource.endsWith(".js") ? "text/javascript" : resource.endsWith(".css") ? "text/css" : "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (var out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static boolean write(OutputStream out, byte[] frame) {
    try {
      out.write(frame);
      out.flush();
      return true;
    } catch (IOException e) {
      return false; // the browser went away
    }
  }

  @Override
  public synchronized void close() {
    clients.forEach(out -> {
      try {
        out.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    });
    server.stop(0);
    executor.shutdownNow();
  }
}
