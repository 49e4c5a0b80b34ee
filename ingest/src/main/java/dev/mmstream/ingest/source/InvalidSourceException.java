package dev.mmstream.ingest.source;

/** A source that cannot be read: missing, empty, not media, unreachable or broken mid-way. */
public final class InvalidSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidSourceException(String message) {
    super(message);
  }

  public InvalidSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
