package dev.mmstream.schema;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
            + " --bootstrap HOST:PORT of a running cluster (a cluster that requires TLS or SASL needs its client settings"
            + " in --config FILE, e.g. kafka.security.protocol=SASL_SSL)");
  }

  @Test
  void clientSettingsTheClientCannotUseAreOneLineNamingWhereTheyCameFrom() {
    var settings = new KafkaClientSettings(Map.of("security.protocol", "SSL",
        "ssl.truststore.location", "/nonexistent/truststore.p12", "ssl.truststore.password", "hunter2"));
    assertThatThrownBy(() -> KafkaReachability.require("127.0.0.1:1", settings, List.of(), Duration.ofSeconds(2)))
        .isInstanceOf(KafkaReachability.Unreachable.class)
        .hasMessageStartingWith("cannot connect to Kafka at 127.0.0.1:1 with the kafka.* client settings of --config: ")
        .hasMessageNotContaining("hunter2");
  }
}
