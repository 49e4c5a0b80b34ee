package dev.mmstream.ingest.transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads a sidecar caption file (SRT or WebVTT, UTF-8) into cues. */
public final class CaptionFiles {

  private static final int WARNINGS_IN_MESSAGE = 3;

  private CaptionFiles() {}

  /**
   * Cues of {@code file} plus warnings for skipped cues.
   *
   * @throws CaptionException if the file is missing or unreadable, or holds no valid cue
   */
  public static ParsedCaptions read(Path file) {
    String content = readText(file);
    CaptionFormat format = CaptionFormat.of(file, content);
    ParsedCaptions parsed = format.parser().parse(content);
    if (parsed.cues().isEmpty()) {
      throw new CaptionException(file + ": no valid " + format + " cue in this file"
          + describe(parsed.warnings()) + "; expected blocks like '00:00:01,000 --> 00:00:02,500'"
          + " followed by text");
    }
    return parsed;
  }

  private static String readText(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CaptionException(file + ": caption file not found; check the path", e);
    } catch (IOException e) {
      throw new CaptionException(file + ": cannot read caption file (" + e + ")", e);
    }
  }

  private static String describe(List<String> warnings) {
    if (warnings.isEmpty()) {
      return " (it has no cue blocks)";
    }
    List<String> shown = warnings.subList(0, Math.min(WARNINGS_IN_MESSAGE, warnings.size()));
    String more = warnings.size() > shown.size() ? "; ..." : "";
    return " (" + String.join("; ", shown) + more + ")";
  }
}
