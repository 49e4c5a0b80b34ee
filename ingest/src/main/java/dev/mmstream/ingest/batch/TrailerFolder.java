package dev.mmstream.ingest.batch;

import dev.mmstream.ingest.extract.ClipMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of trailers as a media company drops them: {@code NAME.mp4} (or mkv, webm, mov, m4v, avi, ts) with
 * optional sidecars {@code NAME.json} (metadata), {@code NAME.srt} or {@code NAME.vtt} (captions) and
 * {@code NAME.jpg}, {@code .jpeg}, {@code .png} or {@code .webp} (the poster, unless the JSON names one); the stream
 * id is {@code NAME}. Only the folder itself is read, not sub-folders; hidden files and files of other types are
 * left alone (a copy in progress under a temporary name is not picked up).
 */
public final class TrailerFolder {
  static final Set<String> MEDIA = Set.of("mp4", "mkv", "webm", "mov", "m4v", "avi", "ts");
  private static final List<String> SIDECARS = List.of(".json", ".srt", ".vtt", ".jpg", ".jpeg", ".png", ".webp");
  private static final List<String> POSTERS = List.of(".jpg", ".jpeg", ".png", ".webp");

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

  /** The files that must stop changing before the trailer is taken: the media, its sidecars and its poster. */
  static List<Path> filesOf(Trailer trailer) {
    Path media = trailer.media();
    String stem = stem(media);
    var files = Stream.concat(Stream.of(media), SIDECARS.stream().map(ext -> media.resolveSibling(stem + ext)));
    String poster = trailer.metadata().get("poster");
    if (poster != null && !poster.isBlank()) {
      files = Stream.concat(files, Stream.of(Path.of(poster)));
    }
    return files.filter(Files::exists).distinct().toList();
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
    if (!metadata.containsKey("poster")) {
      Optional<Path> poster = POSTERS.stream().map(ext -> media.resolveSibling(stem + ext)).filter(Files::isRegularFile).findFirst();
      if (poster.isPresent()) {
        metadata = new LinkedHashMap<>(metadata);
        metadata.put("poster", poster.get().toAbsolutePath().toString());
      }
    }
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
