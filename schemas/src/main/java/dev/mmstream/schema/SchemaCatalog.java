package dev.mmstream.schema;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.schema.v1.TokenFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/** The record types of the project's topics and dataset files, and the trust Avro needs to decode them. */
public final class SchemaCatalog {
  /** Top-level record types: one per topic value plus the dataset window. */
  public static final List<Class<? extends SpecificRecord>> RECORD_TYPES =
      List.of(
          StreamEvent.class,
          FrameFeatures.class,
          Thumbnail.class,
          AudioFeatures.class,
          TokenFeatures.class,
          Prediction.class,
          DeadLetter.class,
          ModelWindow.class);

  private static final String SCHEMA_PACKAGE = "dev.mmstream.";

  static {
    // Avro 1.12 instantiates only classes it trusts; trusting our generated packages here means no
    // caller has to remember a system property (SERIALIZABLE_PACKAGES) to decode a record.
    var previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            previous, type -> type.getName().startsWith(SCHEMA_PACKAGE)));
  }

  private SchemaCatalog() {}

  /** The released schema trees, parsed once: one map (full name to schema) per version, oldest first. */
  private static final class Released {
    static final List<Map<String, Schema>> VERSIONS = load();

    private static List<Map<String, Schema>> load() {
      var versions = new LinkedHashMap<String, Schema.Parser>();
      for (String entry : resourceLines("released/index.txt")) {
        String version = entry.substring(0, entry.indexOf('/'));
        var parser = versions.computeIfAbsent(version, v -> new Schema.Parser());
        try (InputStream in = resource("released/" + entry)) {
          parser.parse(in);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read released schema " + entry, e);
        }
      }
      return versions.values().stream().map(Schema.Parser::getTypes).map(Map::copyOf).toList();
    }

    private static List<String> resourceLines(String name) {
      try (InputStream in = resource(name)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name, e);
      }
    }

    private static InputStream resource(String name) throws IOException {
      InputStream in = SchemaCatalog.class.getResourceAsStream(name);
      if (in == null) {
        throw new IOException("resource dev/mmstream/schema/" + name + " is missing from the schemas jar");
      }
      return in;
    }
  }

  /** Ensures the trust set-up above has run; idempotent and cheap. */
  static void init() {
    // the static initializer does the work
  }

  /**
   * Every released version of a record type's schema that differs from the current one, oldest first (from
   * {@code released/index.txt} on the classpath), so a decoder can read what an older producer wrote.
   */
  public static List<Schema> olderVersionsOf(Class<? extends SpecificRecord> type) {
    Schema current = schemaOf(type);
    long fingerprint = SchemaNormalization.parsingFingerprint64(current);
    return Released.VERSIONS.stream()
        .map(types -> types.get(current.getFullName()))
        .filter(Objects::nonNull)
        .filter(old -> SchemaNormalization.parsingFingerprint64(old) != fingerprint)
        .toList();
  }

  /** The current schema of a record type. */
  public static Schema schemaOf(Class<? extends SpecificRecord> type) {
    init();
    return org.apache.avro.specific.SpecificData.get().getSchema(type);
  }
}
