package dev.mmstream.ingest.publish;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.List;

/** Keeps a stream's records in memory, in arrival order (extract, tests). */
public final class CollectingSink implements FeatureSink {
  private final List<StreamEvent> events = new ArrayList<>();
  private final List<FrameFeatures> frames = new ArrayList<>();
  private final List<Thumbnail> thumbnails = new ArrayList<>();
  private final List<AudioFeatures> audio = new ArrayList<>();
  private final List<TokenFeatures> tokens = new ArrayList<>();

  @Override
  public void event(StreamEvent event) {
    events.add(event);
  }

  @Override
  public void frame(FrameFeatures frame) {
    frames.add(frame);
  }

  @Override
  public void thumbnail(Thumbnail thumbnail) {
    thumbnails.add(thumbnail);
  }

  @Override
  public void audio(AudioFeatures chunk) {
    audio.add(chunk);
  }

  @Override
  public void tokens(TokenFeatures cue) {
    tokens.add(cue);
  }

  public List<StreamEvent> events() {
    return events;
  }

  public List<FrameFeatures> frames() {
    return frames;
  }

  public List<Thumbnail> thumbnails() {
    return thumbnails;
  }

  public List<AudioFeatures> audio() {
    return audio;
  }

  public List<TokenFeatures> tokens() {
    return tokens;
  }
}
