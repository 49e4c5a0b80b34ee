package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.audio.AudioFeaturizer;
import dev.mmstream.ingest.publish.FeatureSink;
import dev.mmstream.ingest.publish.RecordCounts;
import dev.mmstream.ingest.source.DecodedMedia;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.InvalidSourceException;
import dev.mmstream.ingest.source.MediaDecoder;
import dev.mmstream.ingest.video.VideoFeaturizer;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
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

  public IngestPipeline(Featurizers featurizers, DecoderOptions decoderOptions, Pacer pacer, LongConsumer progress) {
    this.featurizers = featurizers;
    this.decoderOptions = decoderOptions;
    this.pacer = pacer;
    this.progress = progress;
  }

  public IngestOutcome run(StreamRequest request, FeatureSink sink) throws InterruptedException {
    long started = System.nanoTime();
    var counts = new RecordCounts(sink);
    var captions = CaptionTrack.load(request, featurizers.text());
    counts.event(startEvent(request));
    long mediaMs = 0;
    String failure = null;
    try (var decoder = MediaDecoder.open(request.source(), decoderOptions);
        var video = decoder.hasVideo() ? featurizers.video(request.streamId()) : null) {
      var handler = new Handler(request, video, counts);
      while (decoder.next(handler)) {
        long position = Math.max(0, decoder.positionMs());
        pacer.await(position);
        captions.emitEndedBefore(position, counts);
        progress.accept(position);
      }
      mediaMs = Math.max(decoder.positionMs(), 0);
      handler.flush();
      mediaMs = Math.max(mediaMs, handler.audioEndMs());
    } catch (InvalidSourceException e) {
      failure = e.getMessage();
      log.warn("{}: {}", request.streamId(), failure);
    }
    captions.emitAll(counts);
    counts.event(endEvent(request, mediaMs, failure));
    long wallMs = (System.nanoTime() - started) / 1_000_000;
    return failure == null
        ? new IngestOutcome.Completed(request.streamId(), mediaMs, wallMs, counts.toString())
        : new IngestOutcome.Failed(request.streamId(), mediaMs, wallMs, counts.toString(), failure);
  }

  private static StreamEvent startEvent(StreamRequest request) {
    return StreamEvent.newBuilder()
        .setStreamId(request.streamId())
        .setType(StreamEventType.START)
        .setTask(request.task())
        .setSource(request.source().uri())
        .setOriginMs(request.originMs())
        .setMetadata(request.metadata())
        .build();
  }

  private static StreamEvent endEvent(StreamRequest request, long mediaMs, String failure) {
    return StreamEvent.newBuilder()
        .setStreamId(request.streamId())
        .setType(StreamEventType.END)
        .setTask(request.task())
        .setSource(request.source().uri())
        .setOriginMs(request.originMs())
        .setMediaEndMs(mediaMs)
        .setReason(failure)
        .build();
  }

  /** Turns decoded media into features; one per run. */
  private final class Handler implements DecodedMedia {
    private final StreamRequest request;
    private final VideoFeaturizer video;
    private final FeatureSink sink;
    private AudioFeaturizer audio;
    private long frameIndex;
    private long audioEndMs;

    Handler(StreamRequest request, VideoFeaturizer video, FeatureSink sink) {
      this.request = request;
      this.video = video;
      this.sink = sink;
    }

    @Override
    public void video(Mat bgr, long ptsMs) {
      if (video != null) {
        sink.frame(video.describe(bgr, ptsMs, frameIndex++));
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

    void flush() {
      if (audio != null) {
        audio.flush().forEach(this::publishAudio);
      }
    }

    long audioEndMs() {
      return audioEndMs;
    }

    private void publishAudio(AudioFeatures chunk) {
      audioEndMs = Math.max(audioEndMs, chunk.getStartMs() + (long) chunk.getLogmel().getRows() * chunk.getHopMs());
      sink.audio(chunk);
    }
  }
}
