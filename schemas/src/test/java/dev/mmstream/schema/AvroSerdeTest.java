package dev.mmstream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mmstream.schema.RecordDecodingException.Problem;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {
  private static final String TOPIC = "mm.test";

  static Stream<Class<? extends SpecificRecord>> recordTypes() {
    return SchemaCatalog.RECORD_TYPES.stream();
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  <T extends SpecificRecord> void roundTripsEveryRecordType(Class<T> type) {
    var serde = AvroSerde.of(type);
    @SuppressWarnings("unchecked")
    T record = (T) new SampleRecords(7).of(type, "s1", 3);

    byte[] bytes = serde.serializer().serialize(TOPIC, record);

    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(record);
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  <T extends SpecificRecord> void writesSingleObjectEncodingWithTheSchemaFingerprint(Class<T> type) {
    var serde = AvroSerde.of(type);
    @SuppressWarnings("unchecked")
    T record = (T) new SampleRecords(1).of(type, "s1", 0);

    byte[] bytes = serde.encode(record);

    long fingerprint = SchemaNormalization.parsingFingerprint64(SchemaCatalog.schemaOf(type));
    long written = 0;
    for (int i = 9; i >= 2; i--) {
      written = (written << 8) | (bytes[i] & 0xff);
    }
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(written).isEqualTo(fingerprint);
  }

  @Test
  void nullValueStaysNullForTombstones() {
    var serde = AvroSerde.of(StreamEvent.class);
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void emptyBytesAreReportedAsEmpty() {
    assertThatThrownBy(() -> AvroSerde.of(StreamEvent.class).decode(TOPIC, new byte[0]))
        .isInstanceOfSatisfying(
            RecordDecodingException.class, e -> assertThat(e.problem()).isEqualTo(Problem.EMPTY))
        .hasMessageContaining("mm.test");
  }

  @Test
  void recordOfAnotherTypeIsAnUnknownSchemaNamingTheTopic() {
    byte[] prediction = AvroSerde.of(Prediction.class).encode(new SampleRecords(2).prediction("s", 1));

    assertThatThrownBy(() -> AvroSerde.of(FrameFeatures.class).decode("mm.video.frames", prediction))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA);
              assertThat(e.topic()).isEqualTo("mm.video.frames");
            })
        .hasMessageContaining("mm.video.frames")
        .hasMessageContaining("FrameFeatures");
  }

  @Test
  void trailingBytesAreRefused() {
    var serde = AvroSerde.of(StreamEvent.class);
    byte[] ok = serde.encode(new SampleRecords(3).streamEvent("s", 0));
    byte[] longer = Arrays.copyOf(ok, ok.length + 3);

    assertThatThrownBy(() -> serde.decode(TOPIC, longer))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.TRAILING_BYTES));
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  <T extends SpecificRecord> void everyTruncationGivesTheClearException(Class<T> type) {
    var serde = AvroSerde.of(type);
    @SuppressWarnings("unchecked")
    T record = (T) new SampleRecords(4).of(type, "stream-with-a-name", 2);
    byte[] bytes = serde.encode(record);

    var random = new Random(41);
    for (int i = 0; i < Math.min(bytes.length, 600); i++) {
      // every cut in the first 300 bytes (header, strings, lengths), then a sample of the rest
      int length = i < 300 ? i : random.nextInt(bytes.length);
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> serde.decode(TOPIC, cut))
          .as("truncated to %d of %d bytes", length, bytes.length)
          .isInstanceOf(RecordDecodingException.class)
          .hasMessageContaining(TOPIC);
    }
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  <T extends SpecificRecord> void randomBytesNeverEscapeAsAnythingButTheClearException(
      Class<T> type) {
    var serde = AvroSerde.of(type);
    var random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      assertDecodesOrFailsClearly(serde, bytes);
    }
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  <T extends SpecificRecord> void randomBodiesBehindAValidHeaderFailClearly(Class<T> type) {
    var serde = AvroSerde.of(type);
    @SuppressWarnings("unchecked")
    T record = (T) new SampleRecords(5).of(type, "s", 1);
    byte[] valid = serde.encode(record);
    var random = new Random(43);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = Arrays.copyOf(valid, 10 + random.nextInt(80));
      byte[] body = new byte[bytes.length - 10];
      random.nextBytes(body);
      System.arraycopy(body, 0, bytes, 10, body.length);
      assertDecodesOrFailsClearly(serde, bytes);
    }
  }

  @ParameterizedTest
  @MethodSource("recordTypes")
  <T extends SpecificRecord> void flippedBytesFailClearlyOrStillDecode(Class<T> type) {
    var serde = AvroSerde.of(type);
    @SuppressWarnings("unchecked")
    T record = (T) new SampleRecords(6).of(type, "s", 1);
    byte[] valid = serde.encode(record);
    var random = new Random(44);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = valid.clone();
      int at = random.nextInt(Math.min(bytes.length, 200));
      bytes[at] = (byte) random.nextInt(256);
      assertDecodesOrFailsClearly(serde, bytes);
    }
  }

  private static <T extends SpecificRecord> void assertDecodesOrFailsClearly(
      AvroSerde<T> serde, byte[] bytes) {
    Throwable thrown = catchThrowable(() -> serde.decode(TOPIC, bytes));
    if (thrown != null) {
      assertThat(thrown)
          .isInstanceOf(RecordDecodingException.class)
          .hasMessageContaining(TOPIC);
    }
  }
}
