package dev.mmstream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {
  @Test
  void takesTheKafkaKeysOfAConfigFileWithoutTheirPrefix() {
    var config = new Properties();
    config.setProperty("bootstrap", "kafka-1:9093");
    config.setProperty("kafka.security.protocol", "SASL_SSL");
    config.setProperty("kafka.sasl.mechanism", "SCRAM-SHA-512");
    var settings = KafkaClientSettings.fromConfig(config);
    assertThat(settings.values()).containsOnly(
        Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"));
    assertThat(settings.securityProtocol()).isEqualTo("SASL_SSL");
    assertThat(KafkaClientSettings.NONE.securityProtocol()).isEqualTo("PLAINTEXT");
  }

  @Test
  void liesOverAClientsOwnSettingsWithoutChangingThem() {
    var settings = new KafkaClientSettings(Map.of("security.protocol", "SSL", "request.timeout.ms", "5000"));
    Map<String, Object> base = Map.of("bootstrap.servers", "a:1", "request.timeout.ms", 20_000);
    assertThat(settings.over(base)).containsEntry("bootstrap.servers", "a:1").containsEntry("security.protocol", "SSL")
        .containsEntry("request.timeout.ms", "5000");
    assertThat(base).containsEntry("request.timeout.ms", 20_000);
  }

  @Test
  void refusesBootstrapServersWhichTheBootstrapOptionGives() {
    var config = new Properties();
    config.setProperty("kafka.bootstrap.servers", "x:1");
    assertThatThrownBy(() -> KafkaClientSettings.fromConfig(config))
        .hasMessageContaining("give the cluster with --bootstrap");
  }

  @Test
  void printsNoSecret() {
    var settings = new KafkaClientSettings(Map.of(
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\" password=\"hunter2\";",
        "ssl.truststore.password", "hunter3", "ssl.keystore.key", "hunter4", "sasl.mechanism", "SCRAM-SHA-512"));
    assertThat(settings.toString()).doesNotContain("hunter").contains("sasl.mechanism=SCRAM-SHA-512")
        .contains("sasl.jaas.config=[hidden]");
  }
}
