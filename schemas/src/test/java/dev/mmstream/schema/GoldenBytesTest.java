package dev.mmstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.v1.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Pins the bytes of one prediction: a change here means every consumer outside the project sees a
 * different encoding. The Python example ({@code examples/decode_prediction.py}) decodes the same
 * file with the .avsc files alone. Regenerate deliberately with {@code -Dgolden.update=true}.
 */
class GoldenBytesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/prediction.bin");

  @Test
  void predictionBytesAreStable() throws IOException {
    byte[] bytes = AvroSerde.of(Prediction.class).encode(new SampleRecords(99).prediction("stream-42", 7));
    if (Boolean.getBoolean("golden.update")) {
      Files.write(GOLDEN, bytes);
    }
    assertThat(bytes).isEqualTo(Files.readAllBytes(GOLDEN));
  }
}
