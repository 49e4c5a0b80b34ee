package dev.mmstream.ingest.transcript;

/**
 * Stamps each token of a cue with a time inside the cue ("char-proportional"): a token whose first
 * character is at code point {@code s} of a text of {@code L} code points gets
 * {@code start + floor((end - start) * s / L)}. Reading speed is taken as constant over the
 * characters, so the first token gets the cue start and every token a time in {@code [start, end)};
 * times are non-decreasing because WordPiece offsets are. A zero-length cue stamps all tokens with
 * its start.
 */
final class TokenTiming {

  static final String NAME = "char-proportional";

  private TokenTiming() {}

  /**
   * @param codePointStarts offset of each token's first character, in code points of {@code text}
   */
  static long[] charProportional(Cue cue, int[] codePointStarts) {
    int length = cue.text().codePointCount(0, cue.text().length());
    long duration = cue.endMs() - cue.startMs();
    long[] times = new long[codePointStarts.length];
    long previous = cue.startMs();
    for (int i = 0; i < times.length; i++) {
      int start = Math.min(Math.max(codePointStarts[i], 0), length - 1);
      long time = cue.startMs() + Math.floorDiv(duration * start, length);
      times[i] = Math.max(previous, time);
      previous = times[i];
    }
    return times;
  }
}
