package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.audio.AudioFeaturizer;
import dev.mmstream.ingest.catalogue.CatalogueFeaturizer;
import dev.mmstream.ingest.publish.FeatureSink;
import dev.mmstream.ingest.publish.RecordCounts;
import dev.mmstream.ingest.source.DecodedMedia;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.InvalidSourceException;
import dev.mmstream.ingest.source.MediaDecoder;
import dev.mmstream.ingest.video.ThumbnailSampler;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source to records: START, then frame, audio and token features as the media is decoded, then
 * END (normal, or with the reason the source broke). The same code feeds Kafka (live) and files
 * (extract), so a feature never differs between training and serving. Records depend only on the
 * media's timestamps, never on wall-clock pacing.
 */
public final class IngestPipeline {
  private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

  private final Featurizers featurizers;
  private final DecoderOptions decoderOptions;
  private final Pacer pacer;
  private final LongConsumer progress;
  private final Optional<ThumbnailSampler.Options> thumbnails;

  public IngestPipeline(Featurizers featurizers, DecoderOptions decoderOptions, Pacer pacer, LongConsumer progress) {
    this(featurizers, decoderOptions, pacer, progress, Optional.empty());
  }

  private IngestPipeline(Featurizers featurizers, DecoderOptions decoderOptions, Pacer pacer, LongConsumer progress,
      Optional<ThumbnailSampler.Options> thumbnails) {
    this.featurizers = featurizers;
    this.decoderOptions = decoderOptions;
    this.pacer = pacer;
    this.progress = progress;
    this.thumbnails = thumbnails;
  }

  /** The same pipeline that also publishes thumbnails of the sampled frames (with their face) to the sink. */
  public IngestPipeline withThumbnails(ThumbnailSampler.Options options) {
    return new IngestPipeline(featurizers, decoderOptions, pacer, progress, Optional.of(options));
  }

  /**
   * Ingests one stream into {@code sink}. Whatever happens after START, END follows: with a reason when
   * the source could not be read or broke off (the run then returns {@link IngestOutcome.Failed}), and
   * also before any other exception is rethrown, so downstream never waits on an unfinished stream.
   */
  public IngestOutcome run(StreamRequest request, FeatureSink sink) throws InterruptedException {
    long started = System.nanoTime();
    var counts = new RecordCounts(sink);
    var captions = CaptionTrack.load(request, featurizers::text);
    var warnings = new ArrayList<String>(captions.warnings());
    var catalogue = catalogue(request);
    warnings.addAll(catalogue.problems());
    counts.event(StreamEvents.start(request, catalogue.features()));
    var handler = new Handler(request, counts);
    String failure;
    try {
      failure = request.media().isPresent() ? decode(request, handler, captions) : playTranscript(handler, captions);
    } catch (RuntimeException | InterruptedException e) {
      endAfterCrash(request, handler, captions, counts, e);
      throw e;
    }
    long mediaMs = handler.endMs();
    if (failure == null) {
      captions.emitAll(counts);
    } else {
      int dropped = captions.emitStartedBefore(mediaMs, counts);
      if (dropped > 0) {
        warnings.add(dropped + " caption cue(s) after the break at " + mediaMs + " ms were not published");
      }
    }
    counts.event(StreamEvents.end(request, mediaMs, failure));
    long wallMs = (System.nanoTime() - started) / 1_000_000;
    return failure == null
        ? new IngestOutcome.Completed(request.streamId(), mediaMs, wallMs, counts.toString(), warnings)
        : new IngestOutcome.Failed(request.streamId(), mediaMs, wallMs, counts.toString(), warnings, failure);
  }

  /** A trailer's poster and metadata, computed before START, which carries them; other streams have none. */
  private CatalogueFeaturizer.Described catalogue(StreamRequest request) {
    return request.task() == Task.GENRE
        ? featurizers.catalogue().describe(request.streamId(), request.metadata())
        : new CatalogueFeaturizer.Described(null, List.of());
  }

  /**
   * A transcript-only stream: its time is the cues' own, so each cue is released at its start (paced like
   * media) and the stream ends where the last cue does.
   */
  private String playTranscript(Handler handler, CaptionTrack captions) throws InterruptedException {
    long endMs = captions.endMs();
    for (long startMs = captions.nextStartMs(); startMs >= 0; startMs = captions.nextStartMs()) {
      pacer.await(startMs);
      captions.emitStartedBy(startMs, handler.sink);
      progress.accept(startMs);
    }
    pacer.await(endMs);
    handler.reached(endMs);
    return null;
  }

  /** Decodes the whole source into {@code handler}; returns why it stopped early, or null when it did not. */
  private String decode(StreamRequest request, Handler handler, CaptionTrack captions) throws InterruptedException {
    String failure = null;
    try (var decoder = MediaDecoder.open(request.media().get(), decoderOptions);
        var frames = decoder.hasVideo() ? frameWorker(request.streamId()) : null) {
      handler.useFrames(frames);
      try {
        while (decoder.next(handler)) {
          long position = Math.max(0, decoder.positionMs());
          handler.reached(position);
          pacer.await(position);
          captions.emitStartedBy(position, handler.sink);
          progress.accept(position);
        }
      } catch (InvalidSourceException e) {
        failure = e.getMessage(); // broke off mid-way: what was decoded before is still published
      }
      handler.drainFrames();
    } catch (InvalidSourceException e) {
      failure = e.getMessage(); // could not be opened
    }
    if (failure != null) {
      log.warn("{}: {}", request.streamId(), failure);
    }
    // audio still buffered in the featurizer is published whether the source ended or broke off
    handler.flush();
    return failure;
  }

  private FrameWorker frameWorker(String streamId) {
    return new FrameWorker(featurizers.video(streamId), thumbnails.map(ThumbnailSampler::new).orElse(null), streamId);
  }

  /** A bug or a broken sink stopped the run: still try to close the stream downstream, then rethrow. */
  private static void endAfterCrash(StreamRequest request, Handler handler, CaptionTrack captions, FeatureSink sink,
      Exception crash) {
    try {
      handler.flush();
      captions.emitStartedBefore(handler.endMs(), sink);
      sink.event(StreamEvents.end(request, handler.endMs(), "ingest stopped: " + crash));
    } catch (RuntimeException secondary) {
      crash.addSuppressed(secondary); // the sink itself is broken: the original error is what matters
    }
  }

  /** Turns decoded media into features; one per run. */
  private final class Handler implements DecodedMedia {
    private final StreamRequest request;
    private final FeatureSink sink;
    private FrameWorker frames;
    private AudioFeaturizer audio;
    private long frameIndex;
    private long positionMs;
    private long audioEndMs;
    private boolean flushed;

    Handler(StreamRequest request, FeatureSink sink) {
      this.request = request;
      this.sink = sink;
    }

    /** Set once the decoder has found a video stream; null for audio-only sources. */
    void useFrames(FrameWorker worker) {
      this.frames = worker;
    }

    @Override
    public void video(Mat bgr, long ptsMs) {
      if (frames != null) {
        frames.submit(bgr, ptsMs, frameIndex++, sink);
      }
    }

    void drainFrames() {
      if (frames != null) {
        frames.drain(sink);
      }
    }

    @Override
    public void audio(float[] samples, int length, long ptsMs) {
      if (audio == null) {
        // audio time counts samples from the first one, so it cannot drift with container jitter
        audio = featurizers.audio(request.streamId(), ptsMs);
      }
      audio.accept(samples, 0, length).forEach(this::publishAudio);
    }

    void reached(long mediaMs) {
      positionMs = Math.max(positionMs, mediaMs);
    }

    void flush() {
      if (audio != null && !flushed) {
        flushed = true;
        audio.flush().forEach(this::publishAudio);
      }
    }

    /** End of what was decoded: the newest frame or the end of the last audio record, milliseconds. */
    long endMs() {
      return Math.max(positionMs, audioEndMs);
    }

    private void publishAudio(AudioFeatures chunk) {
      audioEndMs = Math.max(audioEndMs, chunk.getStartMs() + (long) chunk.getLogmel().getRows() * chunk.getHopMs());
      sink.audio(chunk);
    }
  }
}
