package dev.mmstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released version of each schema (kept under test resources {@code released/<version>/}) must
 * stay readable by the current schema, so downstream consumers never break by accident. When a
 * schema changes, copy the last released tree to a new version folder before editing and list its
 * files in {@code released/index.txt}, so {@link AvroSerde} keeps decoding what older producers wrote.
 */
class SchemaEvolutionTest {
  private static final Path RELEASED = Path.of("src/main/resources/dev/mmstream/schema/released");

  static Stream<Path> releasedVersions() throws IOException {
    try (var dirs = Files.list(RELEASED)) {
      return dirs.filter(Files::isDirectory).sorted(Comparator.naturalOrder()).toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("releasedVersions")
  void currentSchemasReadDataWrittenWithEveryReleasedVersion(Path version) throws IOException {
    Map<String, Schema> released = parseAll(version);
    assertThat(released).as("released schemas in %s", version).isNotEmpty();

    for (Class<? extends SpecificRecord> type : SchemaCatalog.RECORD_TYPES) {
      Schema current = SchemaCatalog.schemaOf(type);
      Schema old = released.get(current.getFullName());
      if (old == null) {
        continue; // type introduced after this release: nothing old to read
      }
      var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
      assertThat(compatibility.getType())
          .as("%s %s -> current: %s", current.getName(), version.getFileName(), compatibility.getDescription())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      assertThat(roundTripThroughOld(old, current, type)).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("releasedVersions")
  void serdeDecodesRecordsThatOlderProducersWrote(Path version) throws IOException {
    Map<String, Schema> released = parseAll(version);
    for (Class<? extends SpecificRecord> type : SchemaCatalog.RECORD_TYPES) {
      Schema current = SchemaCatalog.schemaOf(type);
      Schema old = released.get(current.getFullName());
      if (old == null) {
        continue;
      }
      var sample = new SampleRecords(5).of(type, "s1", 1);
      var asOld = (GenericRecord) readAs(current, old, write(current, deepCopyAs(current, sample)));
      var bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(asOld);
      var single = new byte[bytes.remaining()];
      bytes.get(single);
      var decoded = AvroSerde.of(type).decode("test-topic", single);
      assertThat(decoded.getSchema().getFullName()).as("%s written with %s", type.getSimpleName(), version.getFileName())
          .isEqualTo(current.getFullName());
    }
  }

  @ParameterizedTest
  @MethodSource("releasedVersions")
  void everyCurrentTopLevelTypeExistedOrIsNew(Path version) throws IOException {
    // Guards the test above from passing vacuously: at least the topic records must match by name.
    Map<String, Schema> released = parseAll(version);
    assertThat(released.keySet()).contains("dev.mmstream.schema.v1.StreamEvent", "dev.mmstream.schema.v1.Prediction");
  }

  /** Writes a sample with the current schema projected onto the old one, then reads it back as current. */
  private static boolean roundTripThroughOld(
      Schema old, Schema current, Class<? extends SpecificRecord> type) throws IOException {
    var sample = new SampleRecords(11).of(type, "s1", 1);
    var asGeneric = deepCopyAs(current, sample);
    var projectedToOld = readAs(current, old, write(current, asGeneric));
    var backToCurrent = readAs(old, current, write(old, projectedToOld));
    return backToCurrent != null;
  }

  private static Object deepCopyAs(Schema schema, Object specific) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new org.apache.avro.specific.SpecificDatumWriter<Object>(schema).write(specific, encoder);
    encoder.flush();
    return readAs(schema, schema, out.toByteArray());
  }

  private static byte[] write(Schema schema, Object datum) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<Object>(schema, GenericData.get()).write(datum, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static Object readAs(Schema writer, Schema reader, byte[] bytes) throws IOException {
    return new GenericDatumReader<Object>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  private static Map<String, Schema> parseAll(Path version) throws IOException {
    var parser = new Schema.Parser();
    List<Path> files;
    try (var walk = Files.walk(version)) {
      // common types first: the others refer to them by name
      files =
          walk.filter(p -> p.toString().endsWith(".avsc"))
              .sorted(Comparator.comparing((Path p) -> !p.toString().contains("common"))
                  .thenComparing(p -> !p.getFileName().toString().matches("(Face|Scene)\\.avsc"))
                  .thenComparing(Path::toString))
              .toList();
    }
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        parser.parse(in);
      }
    }
    return parser.getTypes().values().stream()
        .collect(Collectors.toMap(Schema::getFullName, Function.identity()));
  }
}
