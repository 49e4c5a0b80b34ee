package dev.mmstream.ingest.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One trailer of a batch: its media, captions when it has a sidecar, the START metadata from its sidecar JSON
 * (title, plot, year, runtime, poster, ...), or why it cannot be ingested.
 *
 * @param fingerprint what the ledger remembers it by: the media's path, size and modification time, so a file
 *     replaced by another of the same name is a new trailer
 * @param problem empty when it can be ingested; else why not (a sidecar JSON that is not an object, say)
 */
public record Trailer(String streamId, Path media, Optional<Path> captions, Map<String, String> metadata,
    String fingerprint, Optional<String> problem) {
  public Trailer {
    metadata = Map.copyOf(metadata);
  }

  static Trailer of(String streamId, Path media, Optional<Path> captions, Map<String, String> metadata) {
    return new Trailer(streamId, media, captions, metadata, fingerprintOf(media), Optional.empty());
  }

  static Trailer broken(String streamId, Path media, String problem) {
    return new Trailer(streamId, media, Optional.empty(), Map.of(), fingerprintOf(media), Optional.of(problem));
  }

  /** path|size|mtime; a file that vanished meanwhile gets size -1, and its ingest says why. */
  static String fingerprintOf(Path media) {
    Path absolute = media.toAbsolutePath().normalize();
    try {
      return absolute + "|" + Files.size(absolute) + "|" + Files.getLastModifiedTime(absolute).toMillis();
    } catch (IOException e) {
      return absolute + "|-1|-1";
    }
  }
}
