package dev.mmstream.cli;

import dev.mmstream.schema.KafkaClientSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Every Java command line set up one way: usage and errors name the command as users type it
 * ({@code ./mmstream ingest}), a wrong or missing option gives one line and where to find help instead of
 * the whole help, {@code -V} prints the project version, and help is as wide as the terminal allows. Every
 * option can also come from the environment or a {@code --config} file ({@link OptionDefaults}).
 */
public final class Cli {
  /** The launcher's name for itself, as users type it. */
  public static final String LAUNCHER = "./mmstream";
  private static final int MIN_WIDTH = 100;

  private Cli() {}

  /** A command line for {@code command}, whose {@code @Command} name is the launcher's subcommand. */
  public static CommandLine commandLine(Object command) {
    return commandLine(command, System.getenv(), new Properties());
  }

  /**
   * Runs {@code command} with {@code args}: options come from the command line, the environment and a
   * {@code --config FILE} among the args, in that order. Returns the exit code.
   */
  public static int execute(Object command, String[] args) {
    return execute(command, args, line -> line);
  }

  /** As {@link #execute(Object, String[])}, with the command's own handlers added by {@code customize}. */
  public static int execute(Object command, String[] args, UnaryOperator<CommandLine> customize) {
    CommandLine probe = customize.apply(commandLine(command));
    Properties config;
    try {
      config = configFile(args).map(file -> load(file, probe)).orElseGet(Properties::new);
      if (command instanceof KafkaClientCommand client) {
        client.useKafkaClientSettings(kafkaSettings(config, probe));
      }
    } catch (ParameterException e) {
      return usageError(e);
    }
    return customize.apply(commandLine(command, System.getenv(), config)).execute(args);
  }

  static CommandLine commandLine(Object command, Map<String, String> environment, Properties config) {
    CommandLine line = new CommandLine(command);
    line.getCommandSpec().addOption(OptionSpec.builder("--config").paramLabel("FILE").type(Path.class)
        .description("Properties file of option values (e.g. bootstrap=kafka-1:9092); the command line and "
            + "MMSTREAM_<OPTION> environment variables win over it."
            + (command instanceof KafkaClientCommand ? " kafka.* keys are Kafka client settings (e.g. "
                + "kafka.security.protocol=SASL_SSL)." : "")).build());
    line.setDefaultValueProvider(new OptionDefaults(environment, config));
    String name = line.getCommandName();
    line.setCommandName(LAUNCHER + " " + name);
    line.getCommandSpec().versionProvider(new Version());
    line.setUsageHelpAutoWidth(true);
    line.setUsageHelpWidth(Math.max(MIN_WIDTH, line.getUsageHelpWidth()));
    line.setParameterExceptionHandler((ParameterException e, String[] args) -> usageError(e));
    return line;
  }

  /** One line saying what is wrong and one saying where help is; the usage exit code (2). */
  private static int usageError(ParameterException e) {
    CommandLine line = e.getCommandLine();
    String name = line.getCommandName().replaceFirst("^" + java.util.regex.Pattern.quote(LAUNCHER) + " ", "");
    line.getErr().println("mmstream " + name + ": " + e.getMessage());
    line.getErr().println("(" + LAUNCHER + " " + name + " --help lists the options)");
    return line.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static java.util.Optional<Path> configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return java.util.Optional.of(Path.of(args[i + 1]));
      }
      if (args[i].startsWith("--config=")) {
        return java.util.Optional.of(Path.of(args[i].substring("--config=".length())));
      }
    }
    return java.util.Optional.empty();
  }

  /** Reads a config file; a missing file or a key that is no option of the command is a usage error. */
  private static Properties load(Path file, CommandLine line) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      throw new ParameterException(line, "--config " + file + ": no such file");
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(line, "--config " + file + " cannot be read as a properties file: " + e.getMessage());
    }
    Set<String> known = new TreeSet<>();
    line.getCommandSpec().options().forEach(o -> known.add(OptionDefaults.key(o.longestName())));
    List<String> unknown = new ArrayList<>();
    boolean kafkaClient = line.getCommand() instanceof KafkaClientCommand;
    for (String key : p.stringPropertyNames()) {
      if (kafkaClient && key.startsWith(KafkaClientSettings.PREFIX)) {
        continue;
      }
      if (!known.contains(key) || key.equals("config")) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      unknown.sort(null);
      throw new ParameterException(line, "--config " + file + " sets " + unknown + ", which "
          + (unknown.size() == 1 ? "is not an option" : "are not options") + " of " + line.getCommandName()
          + " (keys are option names without the dashes, e.g. bootstrap=HOST:PORT"
          + (kafkaClient ? ", or kafka.* Kafka client settings, e.g. kafka.security.protocol=SASL_SSL)" : ")"));
    }
    return p;
  }

  private static KafkaClientSettings kafkaSettings(Properties config, CommandLine line) {
    try {
      return KafkaClientSettings.fromConfig(config);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(line, "--config: " + e.getMessage());
    }
  }

  /** The project version, from the properties file Maven writes at build time. */
  public static String version() {
    try (InputStream in = Cli.class.getResourceAsStream("/dev/mmstream/mmstream-version.properties")) {
      if (in == null) {
        return "unknown (built outside Maven)";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the version resource", e);
    }
  }

  private static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"mmstream " + version(), "Java " + Runtime.version()};
    }
  }
}
