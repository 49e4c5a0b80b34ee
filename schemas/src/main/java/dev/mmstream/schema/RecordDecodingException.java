package dev.mmstream.schema;

import java.util.Locale;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The one exception every mmstream deserializer throws for bytes it cannot turn into a record: names
 * the topic and says what was wrong. Extends Kafka's {@link SerializationException} so that Kafka
 * Streams routes it to the deserialization exception handler (and from there to dead letters).
 */
public final class RecordDecodingException extends SerializationException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the bytes. */
  public enum Problem {
    /** Null or zero-length value where a record was expected. */
    EMPTY,
    /** Not Avro single-object encoding: the C3 01 marker is missing or the header is cut short. */
    NOT_SINGLE_OBJECT,
    /** A well-formed header whose schema fingerprint belongs to no schema this program knows. */
    UNKNOWN_SCHEMA,
    /** The body ends before the record does. */
    TRUNCATED,
    /** The body does not decode as the schema says (bad lengths, bad union index, bad UTF-8, ...). */
    CORRUPT,
    /** The body decodes but bytes are left over after the record. */
    TRAILING_BYTES
  }

  private final String topic;
  private final Problem problem;

  public RecordDecodingException(String topic, Problem problem, String detail, Throwable cause) {
    super(message(topic, problem, detail), cause);
    this.topic = topic;
    this.problem = problem;
  }

  public String topic() {
    return topic;
  }

  public Problem problem() {
    return problem;
  }

  private static String message(String topic, Problem problem, String detail) {
    return String.format(
        Locale.ROOT, "cannot decode record from topic '%s': %s (%s)", topic, problem, detail);
  }
}
