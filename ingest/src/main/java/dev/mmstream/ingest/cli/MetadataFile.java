package dev.mmstream.ingest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code --meta FILE.json}: a JSON object whose values become START metadata strings. */
final class MetadataFile {
  private MetadataFile() {}

  static Map<String, String> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("--meta " + file + " is not readable JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("--meta " + file + " must hold a JSON object such as {\"title\": \"...\"}");
    }
    var metadata = new LinkedHashMap<String, String>();
    root.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return metadata;
  }
}
