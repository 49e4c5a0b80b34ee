package dev.mmstream.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live dashboard on http://127.0.0.1:PORT/: a static page, a server-sent-events stream
 * ({@code /events}) of predictions, thumbnails and metrics, and each stream's newest thumbnail as a JPEG
 * ({@code /thumbnail?stream=NAME}). New clients first get the recent history and the newest thumbnails.
 * Everything the page needs is served here: it loads nothing from elsewhere. Owns the HTTP server and its
 * threads; {@link #close()} stops them.
 */
final class DashboardServer implements AutoCloseable {
  private static final int HISTORY = 2_000;
  /** Streams whose newest thumbnail is kept (the least recently updated go first). */
  private static final int THUMBNAILS = 2_000;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    var t = new Thread(r, "dashboard-http");
    t.setDaemon(true);
    return t;
  });
  private final List<OutputStream> clients = new ArrayList<>();
  private final Deque<String> history = new ArrayDeque<>();
  private final Map<String, Thumb> thumbnails = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Thumb> eldest) {
      return size() > THUMBNAILS;
    }
  };

  private record Thumb(byte[] jpeg, String event) {}

  DashboardServer(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the dashboard on 127.0.0.1:" + port + " (port in use? pass --dashboard-port)", e);
    }
    server.setExecutor(executor);
    server.createContext("/events", this::events);
    server.createContext("/thumbnail", this::thumbnail);
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

  /** Keeps {@code jpeg} as the stream's newest thumbnail and tells every client, with its {@code event} JSON. */
  synchronized void publishThumbnail(String stream, byte[] jpeg, String event) {
    thumbnails.remove(stream); // re-inserted: the newest come last for clients that connect later
    thumbnails.put(stream, new Thumb(jpeg, event));
    byte[] frame = ("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8);
    clients.removeIf(out -> !write(out, frame));
  }

  private void thumbnail(HttpExchange exchange) throws IOException {
    String stream = query(exchange.getRequestURI().getRawQuery(), "stream");
    Thumb thumb;
    synchronized (this) {
      thumb = stream == null ? null : thumbnails.get(stream);
    }
    if (thumb == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, thumb.jpeg().length);
    try (var out = exchange.getResponseBody()) {
      out.write(thumb.jpeg());
    }
  }

  private static String query(String raw, String name) {
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private void events(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    synchronized (this) {
      var backlog = new ArrayList<>(history);
      thumbnails.values().forEach(t -> backlog.add(t.event()));
      for (String json : backlog) {
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
