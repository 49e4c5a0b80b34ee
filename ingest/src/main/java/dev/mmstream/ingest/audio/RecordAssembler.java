package dev.mmstream.ingest.audio;

import dev.mmstream.schema.FloatLists;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.Matrix;
import java.util.Optional;

/**
 * Groups consecutive frame rows into {@link AudioFeatures} records of {@code framesPerRecord} frames.
 * Record k starts at media time {@code startPtsMs + k * framesPerRecord * hopMs}; frame i of a record
 * at {@code start_ms + i * hopMs}.
 */
final class RecordAssembler {
  private final String streamId;
  private final AudioSpec spec;
  private final String specId;
  private final long startPtsMs;
  private final float[] logmel;
  private final float[] prosody;
  private int rows;
  private long records;

  RecordAssembler(String streamId, AudioSpec spec, long startPtsMs) {
    this.streamId = streamId;
    this.spec = spec;
    this.specId = spec.specId();
    this.startPtsMs = startPtsMs;
    this.logmel = new float[spec.framesPerRecord() * spec.mels()];
    this.prosody = new float[spec.framesPerRecord() * ProsodyAnalyzer.COLUMNS];
  }

  /** The next free log-mel row, {@code mels} floats from {@link #logmelOffset()}; fill it, then {@link #commit}. */
  float[] logmelRows() {
    return logmel;
  }

  int logmelOffset() {
    return rows * spec.mels();
  }

  float[] prosodyRows() {
    return prosody;
  }

  int prosodyOffset() {
    return rows * ProsodyAnalyzer.COLUMNS;
  }

  /** Counts the row just written; returns the record it completes, if any. */
  Optional<AudioFeatures> commit() {
    rows++;
    return rows == spec.framesPerRecord() ? Optional.of(emit()) : Optional.empty();
  }

  /** The last, partial record, if any frames are pending. */
  Optional<AudioFeatures> finish() {
    return rows > 0 ? Optional.of(emit()) : Optional.empty();
  }

  private AudioFeatures emit() {
    final long startMs = startPtsMs + records * spec.framesPerRecord() * (long) spec.hopMs();
    final AudioFeatures record = AudioFeatures.newBuilder()
        .setStreamId(streamId)
        .setStartMs(startMs)
        .setHopMs(spec.hopMs())
        .setWindowMs(spec.windowMs())
        .setSampleRateHz(spec.sampleRateHz())
        .setSpecId(specId)
        .setLogmel(matrix(logmel, rows, spec.mels()))
        .setProsody(matrix(prosody, rows, ProsodyAnalyzer.COLUMNS))
        .build();
    records++;
    rows = 0;
    return record;
  }

  private static Matrix matrix(float[] values, int rows, int cols) {
    return new Matrix(rows, cols, FloatLists.of(values, rows * cols));
  }
}
