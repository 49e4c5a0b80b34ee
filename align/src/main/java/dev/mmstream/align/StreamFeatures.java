package dev.mmstream.align;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.List;

/** Feature records of one stream (any order; the assembler selects by time). */
public record StreamFeatures(
    List<FrameFeatures> frames, List<AudioFeatures> audio, List<TokenFeatures> tokens) {
  public StreamFeatures {
    frames = List.copyOf(frames);
    audio = List.copyOf(audio);
    tokens = List.copyOf(tokens);
  }
}
