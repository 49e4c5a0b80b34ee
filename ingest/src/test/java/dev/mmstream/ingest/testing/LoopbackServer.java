package dev.mmstream.ingest.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server on 127.0.0.1 (never any other address) that misbehaves on purpose, for the tests of
 * unreachable and broken network sources. Owns its socket and thread; {@link #close()} stops both.
 */
public final class LoopbackServer implements AutoCloseable {
  private final ServerSocket socket;
  private final Thread thread;
  private final List<Socket> clients = new CopyOnWriteArrayList<>();

  private interface Behaviour {
    void serve(Socket client) throws IOException;
  }

  private LoopbackServer(Behaviour behaviour) {
    try {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(() -> acceptLoop(behaviour), "loopback-server");
    thread.setDaemon(true);
    thread.start();
  }

  /** Accepts connections and never sends a byte: a stream server that hangs. */
  public static LoopbackServer silent() {
    return new LoopbackServer(client -> {
      // keep the connection open; the client must give up on its own
    });
  }

  /**
   * Answers every HTTP request with a 200 that announces all of {@code body} but sends only its first
   * {@code sent} bytes, then closes the connection: a download that breaks off mid-way.
   */
  public static LoopbackServer httpBreakingOff(byte[] body, int sent) {
    return new LoopbackServer(client -> {
      readRequestHead(client.getInputStream());
      OutputStream out = client.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, sent);
      out.flush();
      client.close();
    });
  }

  /** A port on 127.0.0.1 where nothing listens (connections are refused). */
  public static int refusedPort() {
    try (var probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  public int connections() {
    return clients.size();
  }

  private void acceptLoop(Behaviour behaviour) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        clients.add(client);
        behaviour.serve(client);
      } catch (SocketException closed) {
        return; // close() was called
      } catch (IOException e) {
        // the client hung up first: serve the next one
      }
    }
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    int b;
    while (matched < end.length && (b = in.read()) >= 0) {
      matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
      for (Socket client : clients) {
        client.close();
      }
      thread.join(5_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
