package dev.mmstream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds free loopback ports; the KRaft controller must know its own port before it starts. */
final class FreePorts {
  private FreePorts() {}

  static int pick() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getByName(BrokerConfig.HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + BrokerConfig.HOST, e);
    }
  }
}
