package dev.mmstream.ingest.transcript;

/**
 * SubRip (.srt): blocks of counter, {@code hh:mm:ss,mmm --> hh:mm:ss,mmm}, text lines. The counter
 * is not checked (files often number wrongly); cues are re-numbered from 0 in file order.
 */
public final class SrtParser implements CaptionParser {

  @Override
  public ParsedCaptions parse(String content) {
    return CueBlocks.read(CaptionText.blocks(CaptionText.lines(content)));
  }
}
