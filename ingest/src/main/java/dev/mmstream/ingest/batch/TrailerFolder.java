package dev.mmstream.ingest.batch;

import dev.mmstream.ingest.extract.ClipMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of trailers as a media company drops them: {@code NAME.mp4} (or mkv, webm, mov, m4v, avi, ts) with
 * optional sidecars {@code NAME.json} (metadata) and {@code NAME.srt} or {@code NAME.vtt} (captions); the stream
 * id is {@code NAME}. Only the folder itself is read, not sub-folders; hidden files and files of other types are
 * left alone (a copy in progress under a temporary name is not picked up).
 */
public final class TrailerFolder {
  static final Set<String> MEDIA = Set.of("mp4", "mkv", "webm", "mov", "m4v", "avi", "ts");

  private final Path dir;

  public TrailerFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--dir " + dir + " is not a folder");
    }
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The trailers in the folder now, in name order. */
  public List<Trailer> scan() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(TrailerFolder::isMedia).sorted().map(this::trailer).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list --dir " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The files that must stop changing before the trailer is taken: the media and its sidecars. */
  static List<Path> filesOf(Trailer trailer) {
    Path media = trailer.media();
    String stem = stem(media);
    return Stream.of(media, media.resolveSibling(stem + ".json"), media.resolveSibling(stem + ".srt"),
        media.resolveSibling(stem + ".vtt")).filter(Files::exists).toList();
  }

  private Trailer trailer(Path media) {
    String stem = stem(media);
    Path json = media.resolveSibling(stem + ".json");
    Map<String, String> metadata;
    try {
      metadata = Files.exists(json) ? ClipMetadata.read(json) : Map.of();
    } catch (IllegalArgumentException e) {
      return Trailer.broken(stem, media, e.getMessage());
    }
    Optional<Path> captions = Stream.of(".srt", ".vtt").map(ext -> media.resolveSibling(stem + ext))
        .filter(Files::isRegularFile).findFirst();
    return Trailer.of(stem, media, captions, metadata);
  }

  private static boolean isMedia(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return !name.startsWith(".") && dot > 0 && Files.isRegularFile(file)
        && MEDIA.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
