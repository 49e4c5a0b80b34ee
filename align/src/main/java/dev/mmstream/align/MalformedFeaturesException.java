package dev.mmstream.align;

/**
 * Feature records that cannot become model inputs: wrong shapes, mixed spec ids, non-finite values.
 * The streams app dead-letters the window with this message; extract lists the clip as failed.
 */
public final class MalformedFeaturesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedFeaturesException(String message) {
    super(message);
  }
}
