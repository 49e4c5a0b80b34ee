package dev.mmstream.streams.it;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The committed fixture over the real featurizers' spec ids (models/live, written by make_fixtures.py --live). */
final class LiveModel {
  private LiveModel() {}

  static Path dir() {
    try {
      return Path.of(LiveModel.class.getResource("/models/live").toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource models/live is missing: run make_fixtures.py --live", e);
    }
  }

  static Path file() {
    return dir().resolve("emotion-live.onnx");
  }
}
