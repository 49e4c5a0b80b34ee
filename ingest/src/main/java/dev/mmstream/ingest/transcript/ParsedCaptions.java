package dev.mmstream.ingest.transcript;

import java.util.List;

/**
 * Cues read from one caption track, in file order, and one human-readable warning per skipped part
 * ("line 12: ..."), so a caller can report a partly broken file without failing it.
 */
public record ParsedCaptions(List<Cue> cues, List<String> warnings) {

  public ParsedCaptions {
    cues = List.copyOf(cues);
    warnings = List.copyOf(warnings);
  }

  public static ParsedCaptions empty() {
    return new ParsedCaptions(List.of(), List.of());
  }
}
