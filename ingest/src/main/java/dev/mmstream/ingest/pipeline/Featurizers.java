package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.audio.AudioFeaturizer;
import dev.mmstream.ingest.audio.AudioSpec;
import dev.mmstream.ingest.catalogue.CatalogueFeaturizer;
import dev.mmstream.ingest.transcript.TokenFeatureSpec;
import dev.mmstream.ingest.transcript.TokenFeaturizer;
import dev.mmstream.ingest.video.FaceModels;
import dev.mmstream.ingest.video.VideoFeaturizer;
import dev.mmstream.ingest.video.VideoOptions;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Path;

/**
 * The featurizers of one worker. The models are loaded once, when the first stream needs them, and
 * shared by every stream the worker ingests, also concurrently: the text encoder (a 90 MB model) when
 * a stream has captions, the face networks when it has video. Video and audio featurizers keep
 * per-stream state (the previous frame, partial audio frames), so each stream gets fresh ones.
 */
public final class Featurizers implements AutoCloseable {
  private static final String SHARED = "shared";

  private final Path modelsDir;
  private final VideoOptions video;
  private final AudioSpec audio;
  private final TokenFeatureSpec textSpec;
  // Loaded on first use: a stream without captions (most live sources) never waits seconds for it.
  private TokenFeaturizer text;
  private FaceModels faces;

  public Featurizers(Path modelsDir, VideoOptions video, AudioSpec audio, TokenFeatureSpec text) {
    this.modelsDir = modelsDir;
    this.video = video;
    this.audio = audio;
    this.textSpec = text;
  }

  /** The featurizers {@code ./mmstream ingest} and {@code extract} use for a task's streams. */
  public static Featurizers forTask(Path modelsDir, Task task) {
    return new Featurizers(modelsDir, VideoOptions.forTask(task), AudioSpec.defaults(), TokenFeatureSpec.defaults());
  }

  VideoFeaturizer video(String streamId) {
    return new VideoFeaturizer(streamId, faceModels(), video);
  }

  /**
   * Loads every model now, the text encoder and the face networks, which the first stream would otherwise
   * wait for (seconds): a service can do it while it connects to the broker.
   */
  public void preload() {
    text();
    faceModels();
  }

  /** Loads the face networks now (they are otherwise loaded by the first stream with video). */
  public synchronized FaceModels faceModels() {
    if (faces == null) {
      faces = FaceModels.load(modelsDir, video.detector(), video.intraOpThreads());
    }
    return faces;
  }

  /** A trailer's poster and metadata as model inputs, through this worker's frame featurizer and text encoder. */
  CatalogueFeaturizer catalogue() {
    return new CatalogueFeaturizer(this::video, this::text);
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
    try {
      if (text != null) {
        text.close();
      }
    } finally {
      if (faces != null) {
        faces.close();
      }
    }
  }
}
