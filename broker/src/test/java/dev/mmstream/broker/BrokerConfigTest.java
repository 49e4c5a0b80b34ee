package dev.mmstream.broker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
  @Test
  void refusesPortsOutsideTheTcpRangeNamingTheFlag() {
    assertThatThrownBy(() -> new BrokerConfig(70000, 9093, Path.of("x"), 3, "mm."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--port 70000");
  }

  @Test
  void refusesTheSamePortForClientsAndController() {
    assertThatThrownBy(() -> new BrokerConfig(9092, 9092, Path.of("x"), 3, "mm."))
        .hasMessageContaining("--controller-port");
  }

  @Test
  void refusesZeroPartitions() {
    assertThatThrownBy(() -> new BrokerConfig(9092, 9093, Path.of("x"), 0, "mm."))
        .hasMessageContaining("--partitions 0");
  }
}
