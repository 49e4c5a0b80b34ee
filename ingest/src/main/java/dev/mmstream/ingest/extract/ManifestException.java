package dev.mmstream.ingest.extract;

/** A manifest that cannot be read at all: missing, not CSV, or without the required columns. */
public final class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
