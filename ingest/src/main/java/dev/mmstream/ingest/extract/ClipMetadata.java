package dev.mmstream.ingest.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A clip's or trailer's metadata JSON object ({@code ingest --meta}, a manifest's {@code metadata_path}, a trailer's
 * sidecar): it becomes the START event's metadata (string values as they are, anything else as its JSON text), and
 * its optional {@code "task"} field names the clip's task. A relative {@code "poster"} path is resolved against the
 * JSON's folder.
 */
public final class ClipMetadata {
  static final String TASK_FIELD = "task";
  static final String POSTER_FIELD = "poster";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClipMetadata() {}

  /** @throws IllegalArgumentException naming the file when it is not a JSON object */
  public static Map<String, String> read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("metadata file " + file + " is not readable JSON (" + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("metadata file " + file + " must hold a JSON object such as {\"title\": \"...\"}");
    }
    var metadata = new LinkedHashMap<String, String>();
    root.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    String poster = metadata.get(POSTER_FIELD);
    if (poster != null && !poster.isBlank() && !Path.of(poster).isAbsolute()) {
      // consumers (the catalogue featurizer, a dashboard) get a path they can open from anywhere
      metadata.put(POSTER_FIELD, file.toAbsolutePath().getParent().resolve(poster).normalize().toString());
    }
    return metadata;
  }
}
