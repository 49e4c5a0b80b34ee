package dev.mmstream.ingest.extract;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import dev.mmstream.schema.SchemaCatalog;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes Avro object container files (deflate) that any Avro reader opens with the schema inside.
 * The sync marker is derived from the file's name instead of drawn at random, so the same records
 * always give the same bytes and the dataset hash is reproducible.
 */
final class AvroContainers {
  static final int DEFLATE_LEVEL = 6;

  private AvroContainers() {}

  static <T extends SpecificRecord> void write(
      Path file, Class<T> type, List<T> records, String syncSeed, Map<String, String> metadata) throws IOException {
    Schema schema = SchemaCatalog.schemaOf(type); // also makes Avro trust the generated classes
    var writer = new DataFileWriter<T>(new SpecificDatumWriter<>(type));
    try (OutputStream out = Files.newOutputStream(file); writer) {
      writer.setCodec(CodecFactory.deflateCodec(DEFLATE_LEVEL));
      metadata.forEach(writer::setMeta);
      writer.create(schema, out, sync(syncSeed));
      for (T record : records) {
        writer.append(record);
      }
    }
  }

  private static byte[] sync(String seed) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
