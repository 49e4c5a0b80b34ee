package dev.mmstream.schema;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaReachabilityTest {
  @Test
  void anAddressWithNoBrokerIsOneLineNamingItAndWhatToDo() throws IOException {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // free once closed: nothing listens there
    }
    String bootstrap = "127.0.0.1:" + port;
    assertThatThrownBy(() -> KafkaReachability.require(bootstrap, List.of("mm.stream.events"), Duration.ofSeconds(2)))
        .isInstanceOf(KafkaReachability.Unreachable.class)
        .hasMessage("cannot reach Kafka at " + bootstrap + " within 2 s: start one with ./mmstream broker, or pass"
            + " --bootstrap HOST:PORT of a running cluster");
  }
}
