package dev.mmstream.ingest.extract;

import dev.mmstream.align.HoppingWindows;
import dev.mmstream.align.WindowAssembler;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.align.WindowSpec;
import dev.mmstream.ingest.audio.AudioSpec;
import dev.mmstream.ingest.catalogue.CatalogueFeaturizer;
import dev.mmstream.ingest.catalogue.MetadataVector;
import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.transcript.TokenFeatureSpec;
import dev.mmstream.ingest.video.BlazeFaceVariant;
import dev.mmstream.ingest.video.VideoOptions;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How clips become features and windows. The defaults are exactly those of {@code ./mmstream ingest}
 * and the streams app, so a dataset holds what serving computes.
 *
 * @param task emotion (hopping windows) or genre (one window per clip)
 * @param modelsDir the repository's {@code models/} folder, filled by {@code ./mmstream setup}
 * @param decoder frame sampling rate and timeouts
 */
public record ExtractSettings(
    Task task, Path modelsDir, VideoOptions video, AudioSpec audio, TokenFeatureSpec text,
    DecoderOptions decoder, WindowSpec windowSpec, HoppingWindows hopping) {
  public ExtractSettings {
    Objects.requireNonNull(modelsDir, "modelsDir");
    TaskLabels.of(task);
  }

  /** Ingest's defaults for the task (as {@code ./mmstream ingest}): frame rate, face detector, windows. */
  public static ExtractSettings defaults(Task task, Path modelsDir) {
    return new ExtractSettings(task, modelsDir, VideoOptions.forTask(task), AudioSpec.defaults(), TokenFeatureSpec.defaults(),
        new DecoderOptions(VideoOptions.defaultFps(task), Duration.ofSeconds(10)),
        task == Task.GENRE ? WindowSpec.genre() : WindowSpec.emotion(), HoppingWindows.emotion());
  }

  /** The same settings with another face detector. */
  public ExtractSettings withFaceDetector(BlazeFaceVariant detector) {
    return new ExtractSettings(task, modelsDir, video.withDetector(detector), audio, text, decoder, windowSpec, hopping);
  }

  /** One worker's featurizers (the caller closes them). */
  public Featurizers featurizers() {
    return new Featurizers(modelsDir, video, audio, text);
  }

  /** Emotion: hopping windows over the clip; genre: the whole clip as one window. */
  public List<WindowBounds> windows(long mediaEndMs) {
    return task == Task.GENRE ? List.of(new WindowBounds(0, mediaEndMs)) : hopping.over(mediaEndMs);
  }

  /** Spec ids every window's modalities must carry (keys text, audio, video, window). */
  public Map<String, String> specIds() {
    var ids = new LinkedHashMap<String, String>();
    ids.put("text", text.id());
    ids.put("audio", audio.specId());
    ids.put("video", video.specId());
    ids.put("window", windowSpec.specId());
    return ids;
  }

  /**
   * Feature columns per modality, from the featurizers' specs rather than from the data, so a dataset in
   * which some modality never occurs (speech only, transcripts only) still states what its inputs are.
   */
  public Map<String, Integer> dims() {
    var dims = new LinkedHashMap<String, Integer>();
    dims.put("text", WindowAssembler.textDimension());
    dims.put("audio", WindowAssembler.audioDimension(audio.mels()));
    dims.put("video", WindowAssembler.videoDimension(video.histogramBins()));
    return dims;
  }

  /**
   * The catalogue inputs genre windows may carry, for {@code dataset.json}: {@code dims} and {@code spec_ids} of
   * {@code poster} and {@code metadata}. Empty for emotion, whose streams have none.
   */
  public Map<String, Object> catalogue() {
    if (task != Task.GENRE) {
      return Map.of();
    }
    var dims = new LinkedHashMap<String, Integer>();
    dims.put("poster", WindowAssembler.videoDimension(video.histogramBins()));
    dims.put("metadata", MetadataVector.DIMENSION);
    var ids = new LinkedHashMap<String, String>();
    ids.put("poster", CatalogueFeaturizer.posterSpecId(video.specId()));
    ids.put("metadata", MetadataVector.specId(text.id()));
    var catalogue = new LinkedHashMap<String, Object>();
    catalogue.put("dims", dims);
    catalogue.put("spec_ids", ids);
    return catalogue;
  }

  /** Most steps per modality after the assembler's even subsampling. */
  public Map<String, Integer> maxLengths() {
    var lengths = new LinkedHashMap<String, Integer>();
    lengths.put("text", windowSpec.maxTextTokens());
    lengths.put("audio", windowSpec.maxAudioSteps());
    lengths.put("video", windowSpec.maxVideoFrames());
    return lengths;
  }

  /** How windows are cut, for {@code dataset.json}. */
  public Map<String, Object> windowing() {
    var w = new LinkedHashMap<String, Object>();
    if (task == Task.GENRE) {
      w.put("kind", "whole-clip");
    } else {
      w.put("kind", "hopping");
      w.put("size_ms", hopping.size().toMillis());
      w.put("advance_ms", hopping.advance().toMillis());
    }
    return w;
  }
}
