package dev.mmstream.align;

import java.util.Locale;

/**
 * How a window becomes model inputs: the most steps each modality may have and the audio step
 * length that log-mel frames are pooled to. Longer inputs are subsampled evenly, never truncated,
 * so a long trailer still spans its whole length.
 *
 * @param maxTextTokens most token rows
 * @param maxAudioSteps most pooled audio rows
 * @param maxVideoFrames most frame rows
 * @param audioStepMs length of one pooled audio step, a multiple of the 10 ms hop
 */
public record WindowSpec(int maxTextTokens, int maxAudioSteps, int maxVideoFrames, int audioStepMs) {
  public static final int VERSION = 1;

  public WindowSpec {
    positive("maxTextTokens", maxTextTokens);
    positive("maxAudioSteps", maxAudioSteps);
    positive("maxVideoFrames", maxVideoFrames);
    positive("audioStepMs", audioStepMs);
    if (audioStepMs % 10 != 0) {
      throw new IllegalArgumentException("audioStepMs " + audioStepMs + " must be a multiple of 10 ms");
    }
  }

  /** Emotion windows (4 s): 10 audio steps per second, 5 frames per second, up to 48 tokens. */
  public static WindowSpec emotion() {
    return new WindowSpec(48, 40, 20, 100);
  }

  /** Genre windows (a whole trailer): one audio step per second, up to 2 minutes before subsampling. */
  public static WindowSpec genre() {
    return new WindowSpec(256, 120, 64, 1000);
  }

  /** Stamped on every assembled window next to the feature spec ids. */
  public String specId() {
    return String.format(
        Locale.ROOT,
        "window@v%d(text=%d,audio=%dx%dms,video=%d,pool=mean)",
        VERSION, maxTextTokens, maxAudioSteps, audioStepMs, maxVideoFrames);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
