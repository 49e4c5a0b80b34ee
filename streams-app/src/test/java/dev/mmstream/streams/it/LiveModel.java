package dev.mmstream.streams.it;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The committed fixture over the real featurizers' spec ids (models/live, written by make_fixtures.py --live). */
final class LiveModel {
  private LiveModel() {}

  static Path dir() {
    return resource("live", "--live");
  }

  /** The genre fixture that also takes a trailer's poster and metadata (make_fixtures.py --live-genre-catalogue). */
  static Path catalogueDir() {
    return resource("live-catalogue", "--live-genre-catalogue");
  }

  private static Path resource(String folder, String option) {
    try {
      return Path.of(LiveModel.class.getResource("/models/" + folder).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource models/" + folder + " is missing: run make_fixtures.py " + option, e);
    }
  }

  static Path file() {
    return dir().resolve("emotion-live.onnx");
  }
}
