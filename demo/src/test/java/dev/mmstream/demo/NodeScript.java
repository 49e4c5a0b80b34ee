package dev.mmstream.demo;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script run as a child process, its stdout and stderr collected line by line as it runs.
 * Owns the process; {@link #close()} ends it if it still runs.
 */
final class NodeScript implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private NodeScript(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "node-output");
    reader.setDaemon(true);
    reader.start();
  }

  static NodeScript start(Path script, List<String> args, Map<String, String> env) {
    var command = new ArrayList<String>();
    command.add("node");
    command.add(script.toString());
    command.addAll(args);
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      return new NodeScript(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + script + " (./mmstream test installs it)", e);
    }
  }

  /** The first line starting with {@code prefix}, once the script printed it; empty if it exited without. */
  Optional<String> awaitLine(String prefix, Duration atMost) {
    await("a line starting with '" + prefix + "'").atMost(atMost).pollInterval(Duration.ofMillis(100))
        .until(() -> line(prefix).isPresent() || !process.isAlive());
    return line(prefix);
  }

  /** The exit code, once the script exited and all its output is read. */
  int awaitExit(Duration atMost) throws InterruptedException {
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the script still runs after " + atMost.toSeconds() + " s; its output:\n" + output());
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  String output() {
    return String.join("\n", lines);
  }

  private Optional<String> line(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
  }

  private void read() {
    try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
        System.out.println("[node] " + line);
      }
    } catch (IOException e) {
      lines.add("(output lost: " + e.getMessage() + ")");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: playwright closes its browser on the way out
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
