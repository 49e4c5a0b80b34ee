package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.audio.AudioFeaturizer;
import dev.mmstream.ingest.audio.AudioSpec;
import dev.mmstream.ingest.transcript.TokenFeatureSpec;
import dev.mmstream.ingest.transcript.TokenFeaturizer;
import dev.mmstream.ingest.video.VideoFeaturizer;
import dev.mmstream.ingest.video.VideoOptions;
import java.nio.file.Path;

/**
 * The featurizers of one worker. The text encoder (a 90 MB model) is loaded once, when the first
 * stream with captions needs it, and reused for every stream the worker ingests; video and audio
 * featurizers keep per-stream state (the previous frame, partial audio frames), so each stream gets
 * fresh ones.
 */
public final class Featurizers implements AutoCloseable {
  private static final String SHARED = "shared";

  private final Path modelsDir;
  private final VideoOptions video;
  private final AudioSpec audio;
  private final TokenFeatureSpec textSpec;
  // Loaded on first use: a stream without captions (most live sources) never waits seconds for it.
  private TokenFeaturizer text;

  public Featurizers(Path modelsDir, VideoOptions video, AudioSpec audio, TokenFeatureSpec text) {
    this.modelsDir = modelsDir;
    this.video = video;
    this.audio = audio;
    this.textSpec = text;
  }

  public static Featurizers defaults(Path modelsDir) {
    return new Featurizers(modelsDir, VideoOptions.defaults(), AudioSpec.defaults(), TokenFeatureSpec.defaults());
  }

  VideoFeaturizer video(String streamId) {
    return new VideoFeaturizer(streamId, modelsDir, video);
  }

  AudioFeaturizer audio(String streamId, long startPtsMs) {
    return new AudioFeaturizer(streamId, audio, startPtsMs);
  }

  /** Shared across streams: callers set the stream id on the records it returns. */
  synchronized TokenFeaturizer text() {
    if (text == null) {
      text = new TokenFeaturizer(SHARED, textSpec);
    }
    return text;
  }

  @Override
  public synchronized void close() {
    if (text != null) {
      text.close();
    }
  }
}
