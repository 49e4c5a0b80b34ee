package dev.mmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.KafkaClientSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {
  @TempDir Path dir;

  @Command(name = "serve", mixinStandardHelpOptions = true)
  static final class Serve implements Callable<Integer> {
    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092")
    String bootstrap;

    @Option(names = "--app-id", defaultValue = "mmstream")
    String appId;

    @Option(names = "--max-batch", defaultValue = "64")
    int maxBatch;

    @Override
    public Integer call() {
      return 0;
    }
  }

  @Command(name = "watch")
  static final class Watch implements Callable<Integer>, KafkaClientCommand {
    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092")
    String bootstrap;

    KafkaClientSettings kafka;

    @Override
    public void useKafkaClientSettings(KafkaClientSettings settings) {
      kafka = settings;
    }

    @Override
    public Integer call() {
      return 0;
    }
  }

  private static Serve parse(Map<String, String> env, Properties config, String... args) {
    Serve serve = new Serve();
    CommandLine line = Cli.commandLine(serve, env, config);
    assertThat(line.execute(args)).isZero();
    return serve;
  }

  private static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void commandLineBeatsEnvironmentBeatsConfigFileBeatsDefault() {
    Map<String, String> env = Map.of("MMSTREAM_BOOTSTRAP", "env:9092", "MMSTREAM_APP_ID", "from-env");
    Properties file = props("bootstrap", "file:9092", "app-id", "from-file", "max-batch", "8");

    Serve s = parse(env, file, "--bootstrap", "cli:9092");

    assertThat(s.bootstrap).isEqualTo("cli:9092");
    assertThat(s.appId).isEqualTo("from-env");
    assertThat(s.maxBatch).isEqualTo(8);
    assertThat(parse(Map.of(), new Properties()).maxBatch).isEqualTo(64);
  }

  @Test
  void environmentNamesFollowTheOptionNames() {
    assertThat(OptionDefaults.environmentName("--app-id")).isEqualTo("MMSTREAM_APP_ID");
    assertThat(OptionDefaults.environmentName("--topic-prefix")).isEqualTo("MMSTREAM_TOPIC_PREFIX");
    assertThat(parse(Map.of("MMSTREAM_MAX_BATCH", "16"), new Properties()).maxBatch).isEqualTo(16);
  }

  @Test
  void aConfigFileIsReadFromTheArgumentsAndAnUnknownKeyIsOneLineOfError() throws Exception {
    Path good = Files.writeString(dir.resolve("serve.properties"), "# a deployment's settings\nbootstrap=kafka-1:9092\n");
    Serve serve = new Serve();
    assertThat(Cli.execute(serve, new String[] {"--config", good.toString()})).isZero();
    assertThat(serve.bootstrap).isEqualTo("kafka-1:9092");

    Path typo = Files.writeString(dir.resolve("typo.properties"), "bootstrp=kafka-1:9092\n");
    StringWriter err = new StringWriter();
    int code = Cli.execute(new Serve(), new String[] {"--config=" + typo}, line -> line.setErr(new PrintWriter(err, true)));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("mmstream serve: --config " + typo + " sets [bootstrp], which is not an option")
        .contains("./mmstream serve --help lists the options").hasLineCount(2);
  }

  @Test
  void aMissingOptionValueIsOneLineAndTheUsageNamesTheLauncher() {
    StringWriter err = new StringWriter();
    CommandLine line = Cli.commandLine(new Serve()).setErr(new PrintWriter(err, true));

    assertThat(line.execute("--max-batch")).isEqualTo(2);

    assertThat(err.toString()).startsWith("mmstream serve: Missing required parameter for option '--max-batch'")
        .hasLineCount(2);
    assertThat(line.getUsageMessage()).startsWith("Usage: ./mmstream serve ").contains("--config=FILE");
  }

  @Test
  void versionIsTheProjectVersion() {
    StringWriter out = new StringWriter();
    Cli.commandLine(new Serve()).setOut(new PrintWriter(out, true)).execute("-V");
    assertThat(out.toString()).startsWith("mmstream ").doesNotContain("unknown");
  }

  @Test
  void aKafkaCommandGetsTheKafkaKeysOfItsConfigFileAndOthersRefuseThem() throws Exception {
    Path file = Files.writeString(dir.resolve("secure.properties"),
        "bootstrap=kafka-1:9093\nkafka.security.protocol=SASL_SSL\nkafka.sasl.mechanism=SCRAM-SHA-512\n");
    Watch watch = new Watch();
    assertThat(Cli.execute(watch, new String[] {"--config", file.toString()})).isZero();
    assertThat(watch.bootstrap).isEqualTo("kafka-1:9093");
    assertThat(watch.kafka.values()).containsOnlyKeys("security.protocol", "sasl.mechanism");

    Watch plain = new Watch();
    assertThat(Cli.execute(plain, new String[0])).isZero();
    assertThat(plain.kafka).isEqualTo(KafkaClientSettings.NONE);

    StringWriter err = new StringWriter();
    int code = Cli.execute(new Serve(), new String[] {"--config", file.toString()}, line -> line.setErr(new PrintWriter(err, true)));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("sets [kafka.sasl.mechanism, kafka.security.protocol], which are not options");
  }
}
