package dev.mmstream.streams.topology;

import dev.mmstream.schema.AvroSerde;
import dev.mmstream.streams.state.v1.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The serde of the sessions store. It also decodes sessions written by earlier versions of the app (their
 * schemas are kept as resources), so an upgrade restores the store from its changelog instead of failing.
 */
final class SessionSerde {
  private static final List<String> OLDER = List.of("StreamSession-v1.avsc", "StreamSession-v2.avsc");

  private SessionSerde() {}

  static AvroSerde<StreamSession> create() {
    return AvroSerde.of(StreamSession.class, OLDER.stream().map(SessionSerde::parse).toList());
  }

  private static Schema parse(String name) {
    try (InputStream in = SessionSerde.class.getResourceAsStream("/dev/mmstream/streams/state/" + name)) {
      if (in == null) {
        throw new IllegalStateException("resource dev/mmstream/streams/state/" + name + " is missing from the streams-app jar");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the older session schema " + name, e);
    }
  }
}
