package dev.mmstream.schema;

import dev.mmstream.schema.RecordDecodingException.Problem;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for any generated mmstream record, in Avro single-object encoding: C3 01, the 8-byte
 * little-endian CRC-64-AVRO fingerprint of the writer schema, then the binary body. A consumer outside
 * the project decodes it with the {@code .avsc} files alone. Every failure to decode is a {@link
 * RecordDecodingException} naming the topic and the problem.
 *
 * <p>Thread-safe: Avro's message encoder and decoder keep per-thread buffers.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  private static final int HEADER_LENGTH = 10;

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroSerde(Class<T> type, List<Schema> olderVersions) {
    SchemaCatalog.init();
    this.type = type;
    Schema schema = SchemaCatalog.schemaOf(type);
    SpecificData model = SpecificData.getForClass(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    olderVersions.forEach(decoder::addSchema);
  }

  /** A serde for a topic record type; it also decodes what every released older version of it wrote. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, SchemaCatalog.olderVersionsOf(type));
  }

  /** A serde for a type outside the catalogue (e.g. a store's state) that also decodes these older schemas. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, List<Schema> olderVersions) {
    return new AvroSerde<>(type, olderVersions);
  }

  public Class<T> type() {
    return type;
  }

  /** Encodes one record; a null record stays null (a tombstone). */
  public byte[] encode(T record) {
    if (record == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
    }
  }

  /** Decodes one record written in single-object encoding by any known schema version. */
  public T decode(String topic, byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new RecordDecodingException(topic, Problem.EMPTY, "no bytes", null);
    }
    if (bytes.length < HEADER_LENGTH || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
      throw new RecordDecodingException(
          topic,
          Problem.NOT_SINGLE_OBJECT,
          "expected the C3 01 marker and an 8-byte schema fingerprint, got " + bytes.length + " bytes",
          null);
    }
    var input = new ByteArrayInputStream(bytes);
    T record;
    try {
      record = decoder.decode(input, null);
    } catch (MissingSchemaException e) {
      throw new RecordDecodingException(
          topic,
          Problem.UNKNOWN_SCHEMA,
          "fingerprint " + fingerprintHex(bytes) + " is not a known version of " + type.getSimpleName(),
          e);
    } catch (BadHeaderException e) {
      throw new RecordDecodingException(topic, Problem.NOT_SINGLE_OBJECT, e.getMessage(), e);
    } catch (EOFException e) {
      throw new RecordDecodingException(
          topic, Problem.TRUNCATED, type.getSimpleName() + " body ends early", e);
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException
        | IllegalArgumentException
        | UnsupportedOperationException
        | ClassCastException
        | NullPointerException e) {
      // Random bytes reach many different places inside Avro; all mean the same thing to a caller.
      throw new RecordDecodingException(
          topic, Problem.CORRUPT, type.getSimpleName() + " body: " + e, e);
    }
    if (input.available() > 0) {
      throw new RecordDecodingException(
          topic,
          Problem.TRAILING_BYTES,
          input.available() + " bytes left after a complete " + type.getSimpleName(),
          null);
    }
    return record;
  }

  private static String fingerprintHex(byte[] bytes) {
    var sb = new StringBuilder();
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      sb.append(String.format("%02x", bytes[i] & 0xff));
    }
    return sb.toString();
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(topic, bytes);
  }
}
