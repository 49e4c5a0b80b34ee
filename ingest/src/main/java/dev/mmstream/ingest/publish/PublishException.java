package dev.mmstream.ingest.publish;

/** The broker did not take the records: unreachable, or refused them. */
public final class PublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
