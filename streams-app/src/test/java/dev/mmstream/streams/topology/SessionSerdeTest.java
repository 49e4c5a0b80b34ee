package dev.mmstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.streams.state.v1.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** An upgraded app restores the sessions an earlier version wrote to the store's changelog. */
class SessionSerdeTest {

  @Test
  void sessionsWrittenBeforeCatalogueInputsDecodeWithoutThem() throws IOException {
    Schema v2 = older("StreamSession-v2.avsc");
    GenericRecord old = new GenericData.Record(v2);
    for (Schema.Field f : v2.getFields()) {
      if (f.hasDefaultValue()) {
        old.put(f.name(), GenericData.get().getDefaultValue(f));
      }
    }
    old.put("stream_id", "t1");
    old.put("started", true);
    old.put("origin_ms", 1_700_000_000_000L);
    old.put("metadata", Map.of("title", "A Storm"));
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old).array();

    StreamSession session = SessionSerde.create().decode(Names.SESSIONS_STORE, bytes);

    assertThat(session.getStreamId()).isEqualTo("t1");
    assertThat(session.getOriginMs()).isEqualTo(1_700_000_000_000L);
    assertThat(session.getCataloguePoster()).isNull();
    assertThat(session.getCatalogueSpecIds()).isEmpty();
  }

  @Test
  void aSessionWithCatalogueInputsRoundTrips() {
    var serde = SessionSerde.create();
    var session = StreamSession.newBuilder().setStreamId("t2").setCataloguePoster(List.of(0.5f, 1f))
        .setCatalogueSpecIds(Map.of("poster", "poster@v1")).build();

    assertThat(serde.decode(Names.SESSIONS_STORE, serde.encode(session))).isEqualTo(session);
  }

  private static Schema older(String name) throws IOException {
    try (InputStream in = SessionSerde.class.getResourceAsStream("/dev/mmstream/streams/state/" + name)) {
      return new Schema.Parser().parse(in);
    }
  }
}
