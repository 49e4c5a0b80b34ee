package dev.mmstream.ingest.publish;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.schema.v1.TokenFeatures;

/**
 * Where a stream's records go, in the order ingest produces them: START, then features, then END.
 * Kafka for live traffic, files for extract: the records are the same either way.
 */
public interface FeatureSink {
  void event(StreamEvent event);

  void frame(FrameFeatures frame);

  /** A frame's thumbnail, right after its features; only when ingest was asked for thumbnails. */
  void thumbnail(Thumbnail thumbnail);

  void audio(AudioFeatures audio);

  void tokens(TokenFeatures tokens);
}
