package dev.mmstream.ingest.transcript;

/**
 * Turns the text of one caption file into cues. Malformed cues are skipped and reported in
 * {@link ParsedCaptions#warnings()}; an input with no valid cue yields no cues (the caller decides
 * whether that is an error).
 */
public interface CaptionParser {

  ParsedCaptions parse(String content);
}
