package dev.mmstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.KafkaReachability;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker with TLS + SASL/SCRAM-SHA-512 (keys made here with the JDK's keytool): an authenticated
 * client works end to end, a client without credentials or with a wrong password is refused with one clear line,
 * and no password reaches a log line or the broker's files.
 */
class SecureBrokerIT {
  private static final String STORE_PASSWORD = "store-" + UUID.randomUUID();
  private static final String USER_PASSWORD = "user-" + UUID.randomUUID();

  @TempDir Path dir;

  @Test
  void onlyAnAuthenticatedClientOverTlsGetsInAndNoSecretIsLogged() throws Exception {
    var logs = new ListAppender<ILoggingEvent>();
    logs.start();
    var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      Path keystore = TlsKeys.make(dir, STORE_PASSWORD);
      var security = new BrokerSecurity(keystore, STORE_PASSWORD, Map.of("mmstream", USER_PASSWORD));
      var topics = Topics.defaults();
      try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dir.resolve("broker"), 2).withSecurity(security))) {
        TopicProvisioner.ensureTopics(broker.internalBootstrapServers(), topics, 2);
        String bootstrap = broker.bootstrapServers();
        var client = clientSettings(dir.resolve(TlsKeys.TRUSTSTORE), "mmstream", USER_PASSWORD);
        List<String> names = topics.all().stream().<String>map(Topic::name).toList();

        KafkaReachability.require(bootstrap, client, names, Duration.ofSeconds(30));
        assertThat(TopicProvisioner.check(bootstrap, client, topics, 2, (short) 1)).isEmpty();
        assertThat(roundTrip(bootstrap, client, topics.streamEvents().name())).isEqualTo("hello over TLS");

        assertThatThrownBy(() -> KafkaReachability.require(bootstrap, List.of(), Duration.ofSeconds(3)))
            .isInstanceOf(KafkaReachability.Unreachable.class)
            .hasMessageContaining("needs its client settings in --config FILE, e.g. kafka.security.protocol=SASL_SSL");
        var wrong = clientSettings(dir.resolve(TlsKeys.TRUSTSTORE), "mmstream", "not-the-password");
        assertThatThrownBy(() -> KafkaReachability.require(bootstrap, wrong, List.of(), Duration.ofSeconds(20)))
            .isInstanceOf(KafkaReachability.Unreachable.class)
            .hasMessageStartingWith("Kafka at " + bootstrap + " refused the connection (SASL_SSL): ")
            .hasMessageContaining("check the kafka.* client settings of --config");
      }
      String brokerFiles = Files.readString(dir.resolve("broker").resolve("server.properties"), StandardCharsets.UTF_8);
      assertThat(brokerFiles).contains("SASL_SSL").doesNotContain(STORE_PASSWORD);
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent event : logs.list) {
      String line = event.getFormattedMessage()
          + (event.getThrowableProxy() != null ? " " + event.getThrowableProxy().getMessage() : "");
      assertThat(line).doesNotContain(STORE_PASSWORD).doesNotContain(USER_PASSWORD);
    }
  }

  static KafkaClientSettings clientSettings(Path truststore, String user, String password) {
    return new KafkaClientSettings(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", BrokerSecurity.MECHANISM,
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
            + "\" password=\"" + password + "\";",
        "ssl.truststore.location", truststore.toString(),
        "ssl.truststore.password", STORE_PASSWORD,
        "ssl.truststore.type", "PKCS12"));
  }

  private static String roundTrip(String bootstrap, KafkaClientSettings client, String topic) {
    try (var producer = new KafkaProducer<String, String>(client.over(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "cam-1", "hello over TLS")).get();
    } catch (Exception e) {
      throw new AssertionError("an authenticated producer failed: " + e.getMessage(), e);
    }
    try (var consumer = new KafkaConsumer<String, String>(client.over(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "secure-it",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          return record.value();
        }
      }
      return null;
    }
  }

  /** A self-signed key for 127.0.0.1 and a truststore holding its certificate, made with the JDK's keytool. */
  static final class TlsKeys {
    static final String KEYSTORE = "broker.p12";
    static final String TRUSTSTORE = "truststore.p12";

    static Path make(Path dir, String password) throws IOException, InterruptedException {
      Path keystore = dir.resolve(KEYSTORE);
      Path cert = dir.resolve("broker.crt");
      keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
          "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
          "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
      keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password,
          "-rfc", "-file", cert.toString());
      keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(),
          "-keystore", dir.resolve(TRUSTSTORE).toString(), "-storetype", "PKCS12", "-storepass", password);
      return keystore;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
      var command = new java.util.ArrayList<String>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    }
  }
}
