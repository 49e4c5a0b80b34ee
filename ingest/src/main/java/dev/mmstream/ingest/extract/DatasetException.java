package dev.mmstream.ingest.extract;

/** The dataset folder holds windows that cannot be described by one dataset.json. */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }
}
