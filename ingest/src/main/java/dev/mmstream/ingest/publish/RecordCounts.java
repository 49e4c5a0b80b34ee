package dev.mmstream.ingest.publish;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.Locale;

/** Counts what passes through to a sink, for the end-of-run summary. */
public final class RecordCounts implements FeatureSink {
  private final FeatureSink next;
  private long events;
  private long frames;
  private long thumbnails;
  private long audio;
  private long tokens;

  public RecordCounts(FeatureSink next) {
    this.next = next;
  }

  @Override
  public void event(StreamEvent event) {
    events++;
    next.event(event);
  }

  @Override
  public void frame(FrameFeatures frame) {
    frames++;
    next.frame(frame);
  }

  @Override
  public void thumbnail(Thumbnail thumbnail) {
    thumbnails++;
    next.thumbnail(thumbnail);
  }

  @Override
  public void audio(AudioFeatures chunk) {
    audio++;
    next.audio(chunk);
  }

  @Override
  public void tokens(TokenFeatures cue) {
    tokens++;
    next.tokens(cue);
  }

  public long frames() {
    return frames;
  }

  public long thumbnails() {
    return thumbnails;
  }

  public long audio() {
    return audio;
  }

  public long tokens() {
    return tokens;
  }

  public long events() {
    return events;
  }

  @Override
  public String toString() {
    String summary = String.format(Locale.ROOT, "%d stream events, %d frames, %d audio chunks, %d caption cues", events, frames, audio, tokens);
    return thumbnails == 0 ? summary : summary + String.format(Locale.ROOT, ", %d thumbnails", thumbnails);
  }
}
