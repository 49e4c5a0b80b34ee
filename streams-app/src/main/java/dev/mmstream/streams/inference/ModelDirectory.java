package dev.mmstream.streams.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code *.onnx} files of a models directory with a stamp (size, modification time) each, so a
 * poll can tell new and changed files. Hidden files (a leading dot) are skipped: copy a model in under
 * such a name and rename it for an atomic drop.
 */
final class ModelDirectory {
  /** What identifies one version of a file between polls. */
  record Stamp(long size, long modifiedNanos) {}

  private final Path dir;

  ModelDirectory(Path dir) {
    this.dir = dir;
  }

  Path path() {
    return dir;
  }

  /** Model files and their stamps, sorted by path; a file that vanishes while listing is left out. */
  Map<Path, Stamp> scan() {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("models directory " + dir
          + " does not exist or is not a directory: pass --models DIR holding *.onnx files from `mmstream train`");
    }
    Map<Path, Stamp> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(ModelDirectory::isModelName).forEach(p -> stamp(p, files));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list models directory " + dir, e);
    }
    return files;
  }

  private static boolean isModelName(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".onnx") && !name.startsWith(".");
  }

  private static void stamp(Path p, Map<Path, Stamp> into) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      if (a.isRegularFile()) {
        into.put(p, new Stamp(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
      }
    } catch (IOException e) {
      // deleted between list and read: the next poll sees the directory as it is then
    }
  }
}
