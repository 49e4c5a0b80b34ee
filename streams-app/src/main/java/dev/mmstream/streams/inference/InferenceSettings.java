package dev.mmstream.streams.inference;

import dev.mmstream.align.HoppingWindows;
import java.util.Objects;

/**
 * How sessions run. {@code intraOpThreads} is per session and per run: stream threads times intra-op
 * threads should not exceed the cores. Inter-op parallelism is always 1 (the graph is one chain).
 * {@code maxBatch} caps the windows of one run; longer score() calls are split. {@code emotionWindows} are
 * the windows the app cuts: an emotion model trained on other windows is refused.
 */
public record InferenceSettings(Device device, int intraOpThreads, int maxBatch, HoppingWindows emotionWindows) {
  public static final int DEFAULT_MAX_BATCH = 32;

  public InferenceSettings {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(emotionWindows, "emotionWindows");
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intra-op threads must be >= 1, got " + intraOpThreads);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
    }
  }

  /** For an app that cuts the default emotion windows (4 s every 1 s). */
  public InferenceSettings(Device device, int intraOpThreads, int maxBatch) {
    this(device, intraOpThreads, maxBatch, HoppingWindows.emotion());
  }

  /** Device auto, one intra-op thread, batches of up to 32. */
  public static InferenceSettings defaults() {
    return new InferenceSettings(Device.AUTO, 1, DEFAULT_MAX_BATCH);
  }
}
