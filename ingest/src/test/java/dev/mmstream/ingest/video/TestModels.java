package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmstream.ingest.testing.TestMedia;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/** Finds the repository's models/ folder and the real photos and reference outputs the tests use. */
final class TestModels {
  static final String REFERENCE = "face_expression_reference.json";

  private TestModels() {}

  /** models/ of the repository that holds the working directory; fails clearly when it is not set up. */
  static Path dir() {
    return TestMedia.modelsDir();
  }

  /** The reference fixture written by training's make_java_fixtures. */
  static JsonNode reference() {
    try (InputStream in = TestModels.class.getResourceAsStream(REFERENCE)) {
      if (in == null) {
        throw new AssertionError("test resource " + REFERENCE + " is missing");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A demo photo of @vladmandic/face-api decoded to BGR (caller closes). */
  static Mat photo(String name) {
    Path path = dir().resolve(reference().get("photo_dir").asText()).resolve(name);
    if (!Files.isRegularFile(path)) {
      throw new AssertionError(path + " is missing: run ./mmstream setup");
    }
    Mat bgr = imread(path.toString(), IMREAD_COLOR);
    if (bgr.empty()) {
      throw new AssertionError("OpenCV cannot decode " + path);
    }
    return bgr;
  }
}
