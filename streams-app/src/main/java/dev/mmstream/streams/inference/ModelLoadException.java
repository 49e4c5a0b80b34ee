package dev.mmstream.streams.inference;

import java.nio.file.Path;

/**
 * A model file that cannot serve: unreadable, not ONNX, or not the export contract (metadata, inputs,
 * outputs). The message names the file and what is wrong; at startup this stops the app, during a hot
 * swap the file is refused and the current model keeps serving.
 */
public final class ModelLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public ModelLoadException(Path file, String problem) {
    this(file, problem, null);
  }

  public ModelLoadException(Path file, String problem, Throwable cause) {
    super("model file " + file + " cannot be used: " + problem
        + " (export models with `mmstream train`, which writes the contract the streams app checks)", cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
