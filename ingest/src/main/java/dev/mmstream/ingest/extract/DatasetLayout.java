package dev.mmstream.ingest.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a dataset's files live:
 * <pre>
 * DATASET/dataset.json                 task, labels, spec ids, dims, max lengths, counts, hash
 * DATASET/errors.csv                   clip_id,reason of every clip left out by the last run
 * DATASET/clips.csv                    clip_id and the manifest's extra columns, one row per clip
 * DATASET/windows/&lt;clip&gt;.avro          ModelWindow records of the clip (labels and split set)
 * DATASET/features/&lt;clip&gt;/events.avro   StreamEvent START and END, as on mm.stream.events
 * DATASET/features/&lt;clip&gt;/frames.avro   FrameFeatures, as on mm.video.frames
 * DATASET/features/&lt;clip&gt;/audio.avro    AudioFeatures, as on mm.audio.logmel
 * DATASET/features/&lt;clip&gt;/tokens.avro   TokenFeatures, as on mm.text.tokens
 * </pre>
 * A clip's files are written under a dot-name and renamed into place, features first and the windows
 * file last: a windows file that exists is complete, and marks the clip as done.
 */
public final class DatasetLayout {
  static final String PARTIAL = ".partial";
  static final String AVRO = ".avro";

  private final Path root;

  public DatasetLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path datasetJson() {
    return root.resolve("dataset.json");
  }

  public Path clipsCsv() {
    return root.resolve("clips.csv");
  }

  public Path errorsCsv() {
    return root.resolve("errors.csv");
  }

  public Path windowsDir() {
    return root.resolve("windows");
  }

  public Path featuresDir() {
    return root.resolve("features");
  }

  public Path windows(String clipId) {
    return windowsDir().resolve(clipId + AVRO);
  }

  public Path features(String clipId) {
    return featuresDir().resolve(clipId);
  }

  Path partialWindows(String clipId) {
    return windowsDir().resolve("." + clipId + AVRO + PARTIAL);
  }

  Path partialFeatures(String clipId) {
    return featuresDir().resolve("." + clipId + PARTIAL);
  }

  /** Creates the folders and removes what an interrupted run left half-written. */
  void prepare() {
    try {
      Files.createDirectories(windowsDir());
      Files.createDirectories(featuresDir());
      for (Path dir : List.of(windowsDir(), featuresDir())) {
        try (DirectoryStream<Path> partial = Files.newDirectoryStream(dir, "*" + PARTIAL)) {
          for (Path p : partial) {
            deleteTree(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare dataset folder " + root + ": " + e.getMessage(), e);
    }
  }

  /** Clip ids that have a windows file, sorted (the order of the dataset hash). */
  public List<String> finishedClips() {
    try (Stream<Path> files = Files.list(windowsDir())) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(AVRO) && !n.startsWith("."))
          .map(n -> n.substring(0, n.length() - AVRO.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + windowsDir() + ": " + e.getMessage(), e);
    }
  }

  /** Forgets a clip: its windows file first, so a half-removed clip never looks finished. */
  void remove(String clipId) {
    try {
      Files.deleteIfExists(windows(clipId));
      deleteTree(features(clipId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the old outputs of clip " + clipId + ": " + e.getMessage(), e);
    }
  }

  /** Atomically replaces {@code target} (file or folder) by {@code partial}. */
  static void publish(Path partial, Path target) throws IOException {
    deleteTree(target);
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
  }

  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(path)) {
      walk.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.delete(p);
    }
  }
}
