package dev.mmstream.ingest.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * WebVTT (.vtt): a {@code WEBVTT} header block, then cue blocks (optional identifier, timing line
 * with optional settings, text), with NOTE, STYLE and REGION blocks ignored. Voice, class, ruby and
 * inline-timestamp tags are removed from the text; cue settings (position, line, align) are dropped.
 */
public final class VttParser implements CaptionParser {

  private static final String HEADER = "WEBVTT";

  @Override
  public ParsedCaptions parse(String content) {
    List<CaptionText.Block> blocks = CaptionText.blocks(CaptionText.lines(content));
    List<String> warnings = new ArrayList<>();
    List<CaptionText.Block> cueBlocks = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      CaptionText.Block block = blocks.get(i);
      String first = block.lines().get(0).strip();
      if (i == 0 && first.startsWith(HEADER)) {
        continue;
      }
      if (i == 0) {
        warnings.add("line " + block.firstLine() + ": no WEBVTT header; reading cues anyway");
      }
      if (!isMetadata(first)) {
        cueBlocks.add(block);
      }
    }
    ParsedCaptions cues = CueBlocks.read(cueBlocks);
    warnings.addAll(cues.warnings());
    return new ParsedCaptions(cues.cues(), warnings);
  }

  // A cue identifier may not contain "-->", so a block with a timing line is never metadata.
  private static boolean isMetadata(String firstLine) {
    if (firstLine.contains("-->")) {
      return false;
    }
    String word = firstLine.split("\\s", 2)[0].toUpperCase(Locale.ROOT);
    return word.equals("NOTE") || word.equals("STYLE") || word.equals("REGION");
  }
}
