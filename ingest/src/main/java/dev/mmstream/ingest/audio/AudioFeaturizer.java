package dev.mmstream.ingest.audio;

import dev.mmstream.schema.v1.AudioFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Streaming log-mel + prosody featurizer for one audio stream (one instance per stream, one thread).
 *
 * <p>Input: mono float PCM at {@code spec.sampleRateHz()}, nominally in [-1, 1], pushed in pieces of
 * any size; the first sample pushed is media pts {@code startPtsMs}. Output: {@link AudioFeatures}
 * records of {@code framesPerRecord} frames each (the last one, from {@link #flush}, may be shorter).
 * Frame i of the stream covers samples {@code [i * hop, i * hop + window)} (see {@link FrameSlicer});
 * row r of a record starts at media time {@code start_ms + r * hop_ms}. The records depend only on the
 * samples and the spec, never on how the samples were split into pieces, so live and offline ingest of
 * the same audio give bit-identical features. Per frame: {@code mels} values of
 * {@link LogMelSpectrum} and the three {@link ProsodyAnalyzer} columns (pitch Hz, voicing, dBFS).
 */
public final class AudioFeaturizer {
  private final String streamId;
  private final AudioSpec spec;
  private final long startPtsMs;
  private final FrameSlicer slicer;
  private final LogMelSpectrum logMel;
  private final ProsodyAnalyzer prosody;
  private final RecordAssembler records;
  private long samplesAccepted;
  private boolean flushed;

  public AudioFeaturizer(String streamId, AudioSpec spec) {
    this(streamId, spec, 0L);
  }

  public AudioFeaturizer(String streamId, AudioSpec spec, long startPtsMs) {
    this.streamId = Objects.requireNonNull(streamId, "streamId");
    this.spec = Objects.requireNonNull(spec, "spec: use AudioSpec.defaults() for the standard features");
    if (startPtsMs < 0) {
      throw new IllegalArgumentException("startPtsMs = " + startPtsMs + " for stream " + streamId
          + ": media pts must be >= 0");
    }
    this.startPtsMs = startPtsMs;
    this.slicer = new FrameSlicer(spec.windowSamples(), spec.hopSamples());
    this.logMel = new LogMelSpectrum(spec);
    this.prosody = new ProsodyAnalyzer(spec);
    this.records = new RecordAssembler(streamId, spec, startPtsMs);
  }

  public String specId() {
    return spec.specId();
  }

  /**
   * Consumes {@code pcm[offset, offset + length)} and returns the records it completes (often none).
   *
   * @throws IllegalArgumentException if a sample is NaN or infinite; the featurizer is then unchanged
   * @throws IllegalStateException after {@link #flush}
   */
  public List<AudioFeatures> accept(float[] pcm, int offset, int length) {
    Objects.requireNonNull(pcm, "pcm");
    Objects.checkFromIndexSize(offset, length, pcm.length);
    requireOpen();
    requireFinite(pcm, offset, length);
    final List<AudioFeatures> completed = new ArrayList<>(1);
    slicer.push(pcm, offset, length, frame -> analyze(frame, completed));
    samplesAccepted += length;
    return completed;
  }

  /** Ends the stream: emits the remaining frames (zero-padded at the end) as a last, partial record. */
  public List<AudioFeatures> flush() {
    requireOpen();
    flushed = true;
    final List<AudioFeatures> completed = new ArrayList<>(2);
    slicer.flush(frame -> analyze(frame, completed));
    records.finish().ifPresent(completed::add);
    return completed;
  }

  private void analyze(float[] frame, List<AudioFeatures> completed) {
    logMel.compute(frame, records.logmelRows(), records.logmelOffset());
    prosody.compute(frame, records.prosodyRows(), records.prosodyOffset());
    records.commit().ifPresent(completed::add);
  }

  private void requireOpen() {
    if (flushed) {
      throw new IllegalStateException("stream " + streamId + " was already flushed: use a new AudioFeaturizer"
          + " for a new stream");
    }
  }

  private void requireFinite(float[] pcm, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (!Float.isFinite(pcm[i])) {
        final long sample = samplesAccepted + (i - offset);
        throw new IllegalArgumentException("stream " + streamId + ": sample " + sample + " (media time "
            + (startPtsMs + sample * 1000 / spec.sampleRateHz()) + " ms, index " + i + " of this piece) is "
            + pcm[i] + "; the decoder must deliver finite PCM in [-1, 1]: check the source and the resampler");
      }
    }
  }
}
