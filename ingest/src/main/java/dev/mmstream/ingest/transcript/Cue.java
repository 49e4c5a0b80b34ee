package dev.mmstream.ingest.transcript;

import java.util.Objects;

/**
 * One caption cue: display interval on the media timeline and its plain text (markup removed).
 *
 * @param index position of the cue among the valid cues of its track, from 0 (not the SRT counter,
 *     which files often number wrongly)
 * @param startMs media pts where the cue appears, milliseconds, {@code >= 0}
 * @param endMs media pts where the cue disappears, milliseconds, {@code >= startMs}
 * @param text the displayed text on one line, never blank
 */
public record Cue(int index, long startMs, long endMs, String text) {

  public Cue {
    Objects.requireNonNull(text, "text");
    if (index < 0) {
      throw new IllegalArgumentException("cue index must be >= 0, got " + index);
    }
    if (startMs < 0) {
      throw new IllegalArgumentException("cue " + index + ": start must be >= 0 ms, got " + startMs);
    }
    if (endMs < startMs) {
      throw new IllegalArgumentException(
          "cue " + index + ": end " + endMs + " ms is before start " + startMs + " ms");
    }
    if (text.isBlank()) {
      throw new IllegalArgumentException("cue " + index + ": text is blank");
    }
  }

  /** Same cue with another index, for re-numbering cues after skipping malformed ones. */
  public Cue withIndex(int newIndex) {
    return new Cue(newIndex, startMs, endMs, text);
  }
}
