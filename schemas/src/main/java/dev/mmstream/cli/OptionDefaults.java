package dev.mmstream.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values a deployment sets outside the command line, in this order of precedence: the command line,
 * then the environment ({@code --app-id} is {@code MMSTREAM_APP_ID}), then a properties file given with
 * {@code --config FILE} ({@code app-id=...}), then the option's own default.
 */
final class OptionDefaults implements IDefaultValueProvider {
  static final String ENV_PREFIX = "MMSTREAM_";

  private final Map<String, String> environment;
  private final Properties config;

  OptionDefaults(Map<String, String> environment, Properties config) {
    this.environment = environment;
    this.config = config;
  }

  /** The environment variable that sets an option: {@code --app-id} → {@code MMSTREAM_APP_ID}. */
  static String environmentName(String longOption) {
    return ENV_PREFIX + key(longOption).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The properties-file key of an option: {@code --app-id} → {@code app-id}. */
  static String key(String longOption) {
    return longOption.replaceFirst("^-+", "");
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String name = option.longestName();
    String fromEnvironment = environment.get(environmentName(name));
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment;
    }
    String fromFile = config.getProperty(key(name));
    return fromFile != null ? fromFile : option.defaultValue();
  }
}
