package dev.mmstream.schema;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/** The record types of the project's topics and dataset files, and the trust Avro needs to decode them. */
public final class SchemaCatalog {
  /** Top-level record types: one per topic value plus the dataset window. */
  public static final List<Class<? extends SpecificRecord>> RECORD_TYPES =
      List.of(
          StreamEvent.class,
          FrameFeatures.class,
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

  /** Ensures the trust set-up above has run; idempotent and cheap. */
  static void init() {
    // the static initializer does the work
  }

  /** The current schema of a record type. */
  public static Schema schemaOf(Class<? extends SpecificRecord> type) {
    init();
    return org.apache.avro.specific.SpecificData.get().getSchema(type);
  }
}
