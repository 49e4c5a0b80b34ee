package dev.mmstream.ingest.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads cue blocks, the part SRT and WebVTT share: an optional counter or identifier line, a timing
 * line {@code start --> end [settings]}, then text lines. Both decimal separators (',' of SRT and
 * '.' of WebVTT) and the short {@code mm:ss.ttt} form are accepted in either format, because real
 * files mix them; WebVTT cue settings and SRT coordinates after the end time are ignored.
 */
final class CueBlocks {

  private static final String ARROW = "-->";
  private static final String TIME = "(?:(\\d{1,2}):)?(\\d{1,2}):(\\d{2})[.,](\\d{3})";
  private static final Pattern TIMING =
      Pattern.compile("^\\s*" + TIME + "\\s*" + ARROW + "\\s*" + TIME + "(?:[\\s].*)?$");
  private static final int GROUPS_PER_TIME = 4;

  private CueBlocks() {}

  /** Cues of the blocks, numbered from 0 in order; each skipped block adds one warning. */
  static ParsedCaptions read(List<CaptionText.Block> blocks) {
    List<Cue> cues = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (CaptionText.Block block : blocks) {
      read(block, cues.size(), warnings).ifPresent(cues::add);
    }
    return new ParsedCaptions(cues, warnings);
  }

  private static Optional<Cue> read(CaptionText.Block block, int index, List<String> warnings) {
    List<String> lines = block.lines();
    int timingAt = lines.get(0).contains(ARROW) ? 0 : 1;
    int lineNumber = block.firstLine() + timingAt;
    if (timingAt >= lines.size() || !lines.get(timingAt).contains(ARROW)) {
      warnings.add(at(block.firstLine(), "no timing line 'start --> end' in block starting '"
          + lines.get(0).strip() + "'; block skipped"));
      return Optional.empty();
    }
    Matcher timing = TIMING.matcher(lines.get(timingAt));
    if (!timing.matches()) {
      warnings.add(at(lineNumber, "bad timing line '" + lines.get(timingAt).strip()
          + "' (expected hh:mm:ss,mmm --> hh:mm:ss,mmm); cue skipped"));
      return Optional.empty();
    }
    long start = millis(timing, 1);
    long end = millis(timing, 1 + GROUPS_PER_TIME);
    if (start < 0 || end < 0) {
      warnings.add(at(lineNumber, "minutes or seconds above 59 in '" + lines.get(timingAt).strip()
          + "'; cue skipped"));
      return Optional.empty();
    }
    if (end < start) {
      warnings.add(at(lineNumber, "cue ends (" + end + " ms) before it starts (" + start
          + " ms); cue skipped"));
      return Optional.empty();
    }
    String text = CaptionText.plain(lines.subList(timingAt + 1, lines.size()));
    if (text.isEmpty()) {
      warnings.add(at(lineNumber, "cue has no text; cue skipped"));
      return Optional.empty();
    }
    return Optional.of(new Cue(index, start, end, text));
  }

  /** Milliseconds of the time whose groups start at {@code first}; -1 when a field is out of range. */
  private static long millis(Matcher m, int first) {
    long hours = m.group(first) == null ? 0 : Long.parseLong(m.group(first));
    long minutes = Long.parseLong(m.group(first + 1));
    long seconds = Long.parseLong(m.group(first + 2));
    long millis = Long.parseLong(m.group(first + 3));
    if (minutes > 59 || seconds > 59) {
      return -1;
    }
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
  }

  private static String at(int line, String message) {
    return "line " + line + ": " + message;
  }
}
