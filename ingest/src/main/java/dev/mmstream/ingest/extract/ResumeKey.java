package dev.mmstream.ingest.extract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * What a clip's windows were made from: its manifest row as written (media, captions, labels, split)
 * and the feature and window spec ids. Stored in the windows file's metadata; a rerun skips a clip
 * only when the key still matches, so an edited row or other feature settings re-extract it.
 */
final class ResumeKey {
  static final String META = "mmstream.extract.key";

  private ResumeKey() {}

  static String of(Clip clip, ExtractSettings settings) {
    var text = new StringBuilder(TaskLabels.name(settings.task()));
    clip.row().forEach(f -> text.append('\u001f').append(f));
    for (Map.Entry<String, String> spec : settings.specIds().entrySet()) {
      text.append('\u001e').append(spec.getKey()).append('=').append(spec.getValue());
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** True when {@code windowsFile} is a readable container written for this very key. */
  static boolean matches(Path windowsFile, String key) {
    if (!windowsFile.toFile().isFile()) {
      return false;
    }
    try (var reader = new DataFileReader<GenericRecord>(windowsFile.toFile(), new GenericDatumReader<>())) {
      return key.equals(reader.getMetaString(META));
    } catch (IOException | AvroRuntimeException e) {
      return false; // unreadable: extract the clip again
    }
  }
}
