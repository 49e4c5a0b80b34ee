package dev.mmstream.ingest.batch;

import dev.mmstream.ingest.extract.ClipMetadata;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trailer's metadata JSON (title, plot, year, runtime, poster, ...) as START metadata strings. A relative
 * {@code poster} path is resolved against the JSON's folder, so consumers get a path they can open.
 */
final class SidecarMetadata {
  private SidecarMetadata() {}

  /** @throws IllegalArgumentException naming the file when it is not a readable JSON object */
  static Map<String, String> read(Path file) {
    var metadata = new LinkedHashMap<>(ClipMetadata.read(file));
    String poster = metadata.get("poster");
    if (poster != null && !poster.isBlank() && !Path.of(poster).isAbsolute()) {
      metadata.put("poster", file.toAbsolutePath().getParent().resolve(poster).normalize().toString());
    }
    return metadata;
  }
}
