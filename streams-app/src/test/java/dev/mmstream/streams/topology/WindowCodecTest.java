package dev.mmstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.CatalogueInputs;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowCodecTest {
  private final AssembledWindow window = new AssembledWindow("cam-ü", Task.EMOTION, new WindowBounds(3000, 7000),
      new AssembledWindow.Block(2, 3, new float[] {1f, -2f, 3.5f, Float.MIN_VALUE, 0f, 1e9f}),
      new AssembledWindow.Block(0, 0, new float[0]),
      new AssembledWindow.Block(1, 2, new float[] {0.25f, -0.125f}),
      Map.of("window", "window@v1", "text", "text@v1", "video", "video@v2"));

  @Test
  void roundTripsEveryValueExactly() {
    var decoded = WindowCodec.decode(WindowCodec.encode(window));

    assertThat(decoded).usingRecursiveComparison().isEqualTo(window);
  }

  @Test
  void aTrailersCatalogueInputsRoundTripAndAnAbsentOneStaysAbsent() {
    var trailer = new AssembledWindow("trailer-1", Task.GENRE, new WindowBounds(0, 60_000), window.text(), window.audio(),
        window.video(), window.specIds(), new CatalogueInputs(new float[] {0.5f, -1f, 2f}, null, Map.of("poster", "poster@v1")));

    var decoded = WindowCodec.decode(WindowCodec.encode(trailer));

    assertThat(decoded).usingRecursiveComparison().isEqualTo(trailer);
    assertThat(decoded.catalogue().metadata()).isNull();
    assertThat(WindowCodec.decode(WindowCodec.encode(trailer)).catalogue().poster()).containsExactly(0.5f, -1f, 2f);
  }

  @Test
  void windowsOfTheFormatBeforeCatalogueInputsStillDecode() {
    byte[] current = WindowCodec.encode(window);
    // format 1 ended after the spec ids: drop the empty catalogue (two absent vectors, no spec ids) and mark it
    byte[] format1 = Arrays.copyOf(current, current.length - 12);
    format1[2] = 1;

    assertThat(WindowCodec.decode(format1)).usingRecursiveComparison().isEqualTo(window);
  }

  @Test
  void windowsAnEarlierVersionWroteAsAvroStillDecode() {
    byte[] avro = AvroSerde.of(ModelWindow.class).encode(window.toModelWindow());

    assertThat(WindowCodec.decode(avro)).usingRecursiveComparison().isEqualTo(window);
  }
}
