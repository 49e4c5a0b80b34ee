package dev.mmstream.ingest.transcript;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line of a live transcript read from standard input ({@code ingest --captions -}): either timed,
 * {@code START<TAB>END<TAB>TEXT} with seconds since the stream's origin (what an ASR knows), or plain text,
 * which is stamped with the time it arrived (a chat message). An untimed line lasts as long as it takes to
 * say, {@link #untimedDurationMs}, the same rule {@code ./mmstream import} applies to untimed corpus text.
 *
 * @param startMs where the cue begins, milliseconds since the origin; empty for a plain line
 * @param endMs where it ends; empty for a plain line
 * @param text the line's text, whitespace collapsed
 */
public record LiveLine(Optional<Long> startMs, Optional<Long> endMs, String text) {
  /** Three words a second, at least 1 s, at most 3.5 s so one 4 s emotion window holds a whole message. */
  static final double WORDS_PER_SECOND = 3.0;
  static final long MIN_MS = 1000;
  static final long MAX_MS = 3500;

  private static final Pattern TIMED = Pattern.compile("(\\d+(?:\\.\\d+)?)\\t(\\d+(?:\\.\\d+)?)\\t(.*)");

  /**
   * @return the parsed line, or empty for a blank one
   * @throws IllegalArgumentException for a line with tabs that is not START, END and TEXT, or whose end is
   *     before its start; the message says what the line should look like
   */
  public static Optional<LiveLine> parse(String line) {
    if (line.isBlank()) {
      return Optional.empty();
    }
    if (line.indexOf('\t') < 0) {
      return Optional.of(new LiveLine(Optional.empty(), Optional.empty(), collapse(line)));
    }
    var m = TIMED.matcher(line.strip());
    if (!m.matches() || m.group(3).isBlank()) {
      throw new IllegalArgumentException("a line with tabs must be START<TAB>END<TAB>TEXT with times in seconds"
          + " (e.g. 12.5<TAB>14.0<TAB>hello); plain text lines are stamped when they arrive");
    }
    long start = Math.round(Double.parseDouble(m.group(1)) * 1000);
    long end = Math.round(Double.parseDouble(m.group(2)) * 1000);
    if (end < start) {
      throw new IllegalArgumentException("its end " + m.group(2) + " s is before its start " + m.group(1) + " s");
    }
    return Optional.of(new LiveLine(Optional.of(start), Optional.of(end), collapse(m.group(3))));
  }

  /** How long an untimed line of text lasts. */
  public static long untimedDurationMs(String text) {
    int words = text.strip().isEmpty() ? 0 : text.strip().split("\\s+").length;
    return Math.min(MAX_MS, Math.max(MIN_MS, (long) (1000 * words / WORDS_PER_SECOND)));
  }

  /** The cue this line makes, number {@code index}, arriving {@code arrivalMs} after the origin. */
  public Cue cue(int index, long arrivalMs) {
    long start = startMs.orElse(Math.max(0, arrivalMs));
    long end = endMs.orElse(start + untimedDurationMs(text));
    return new Cue(index, start, end, text);
  }

  private static String collapse(String text) {
    return String.join(" ", text.strip().split("\\s+"));
  }
}
