package dev.mmstream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;

/**
 * Every Java command line set up one way: usage and errors name the command as users type it
 * ({@code ./mmstream ingest}), a wrong or missing option gives one line and where to find help instead of
 * the whole help, {@code -V} prints the project version, and help is as wide as the terminal allows.
 */
public final class Cli {
  /** The launcher's name for itself, as users type it. */
  public static final String LAUNCHER = "./mmstream";
  private static final int MIN_WIDTH = 100;

  private Cli() {}

  /** A command line for {@code command}, whose {@code @Command} name is the launcher's subcommand. */
  public static CommandLine commandLine(Object command) {
    CommandLine line = new CommandLine(command);
    String name = line.getCommandName();
    line.setCommandName(LAUNCHER + " " + name);
    line.getCommandSpec().versionProvider(new Version());
    line.setUsageHelpAutoWidth(true);
    line.setUsageHelpWidth(Math.max(MIN_WIDTH, line.getUsageHelpWidth()));
    line.setParameterExceptionHandler((ParameterException e, String[] args) -> {
      e.getCommandLine().getErr().println("mmstream " + name + ": " + e.getMessage());
      e.getCommandLine().getErr().println("(" + LAUNCHER + " " + name + " --help lists the options)");
      return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    });
    return line;
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
