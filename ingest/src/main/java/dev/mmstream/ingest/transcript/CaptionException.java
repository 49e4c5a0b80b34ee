package dev.mmstream.ingest.transcript;

/** A caption source that cannot be used at all: missing, unreadable, or without one valid cue. */
public final class CaptionException extends RuntimeException {

  public CaptionException(String message) {
    super(message);
  }

  public CaptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
