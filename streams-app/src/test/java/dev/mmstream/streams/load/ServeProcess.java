package dev.mmstream.streams.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code ./mmstream serve} as a separate JVM on the test classpath: started, awaited, killed with SIGKILL. */
final class ServeProcess {
  private final List<String> command;
  private final Path logs;
  private Process process;
  private Path log;
  private int starts;

  ServeProcess(String bootstrap, Path models, Path stateDir, Path logs, String appId, int metricsPort) throws IOException {
    this(bootstrap, models, stateDir, logs, appId, metricsPort, List.of());
  }

  /** With more options of serve, e.g. {@code --topic-prefix}. */
  ServeProcess(String bootstrap, Path models, Path stateDir, Path logs, String appId, int metricsPort, List<String> more)
      throws IOException {
    this.logs = Files.createDirectories(logs);
    var args = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "dev.mmstream.streams.cli.ServeMain", "--bootstrap", bootstrap, "--models", models.toString(),
        "--state-dir", stateDir.toString(), "--app-id", appId, "--metrics-port", Integer.toString(metricsPort)));
    args.addAll(more);
    this.command = List.copyOf(args);
  }

  void start() throws IOException {
    log = logs.resolve("serve-" + (++starts) + ".log");
    var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // the classpath through the environment: ONNX Runtime's native loader fails on a very long command line
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    process = builder.start();
  }

  long pid() {
    return process.pid();
  }

  void awaitRunning(Duration atMost) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      if (text.contains("REBALANCING -> RUNNING")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("serve exited " + process.exitValue() + ": " + tail(text));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("serve was not RUNNING within " + atMost.toSeconds() + " s: "
        + tail(Files.readString(log, StandardCharsets.UTF_8)));
  }

  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();  // SIGKILL: no shutdown hook, no commit, no clean state
      process.waitFor();
    }
  }

  private static String tail(String text) {
    return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
  }
}
