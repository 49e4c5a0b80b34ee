package dev.mmstream.ingest.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmstream.schema.SchemaCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/** Reads a dataset back the way an outside reader would: container files and JSON. */
final class DatasetFiles {
  private DatasetFiles() {}

  static <T extends SpecificRecord> List<T> records(Path file, Class<T> type) throws IOException {
    SchemaCatalog.schemaOf(type); // Avro trusts the generated classes only after this
    var records = new ArrayList<T>();
    try (var reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
      reader.forEach(records::add);
    }
    return records;
  }

  static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  /** The documented hash: SHA-256 over the windows files' bytes in clip-id order. */
  static String windowsHash(Path dataset, List<String> clipIds) throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String id : clipIds.stream().sorted().toList()) {
      sha.update(Files.readAllBytes(dataset.resolve("windows").resolve(id + ".avro")));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static List<List<String>> csvRows(Path file) throws IOException {
    return CsvRecords.parse(Files.readString(file)).stream().map(CsvRecords.Line::fields).toList();
  }
}
