package dev.mmstream.streams.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A harness's scratch folder (broker logs, state stores): gigabytes after a long run, so it goes when the run ends,
 * whether it succeeded or not.
 */
final class WorkDir implements AutoCloseable {
  private final Path path;

  private WorkDir(Path path) {
    this.path = path;
  }

  static WorkDir create(String prefix) throws IOException {
    return new WorkDir(Files.createTempDirectory(prefix));
  }

  Path path() {
    return path;
  }

  Path resolve(String name) {
    return path.resolve(name);
  }

  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the harness's folder " + path, e);
    }
  }
}
