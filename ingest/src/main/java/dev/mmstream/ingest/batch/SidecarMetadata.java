package dev.mmstream.ingest.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trailer's metadata JSON (title, plot, year, runtime, poster, ...) as START metadata strings. A relative
 * {@code poster} path is resolved against the JSON's folder, so consumers get a path they can open.
 */
final class SidecarMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SidecarMetadata() {}

  /** @throws IllegalArgumentException naming the file when it is not a readable JSON object */
  static Map<String, String> read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not readable JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + " must hold a JSON object such as {\"title\": \"...\", \"plot\": \"...\"}");
    }
    var metadata = new LinkedHashMap<String, String>();
    root.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    String poster = metadata.get("poster");
    if (poster != null && !poster.isBlank() && !Path.of(poster).isAbsolute()) {
      Path folder = file.toAbsolutePath().getParent();
      metadata.put("poster", folder.resolve(poster).normalize().toString());
    }
    return metadata;
  }
}
