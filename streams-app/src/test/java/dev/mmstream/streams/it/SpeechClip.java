package dev.mmstream.streams.it;

import dev.mmstream.ingest.testing.TestMedia;
import java.nio.file.Path;

/**
 * A real clip for the integration tests, made by ingest's {@link TestMedia}: {@link #SECONDS} of testsrc
 * video (H.264) with spoken words (PCM in Matroska) and an SRT file. The captions cover only the first
 * half, so the last windows have no text and must be masked, not refused.
 */
record SpeechClip(Path media, Path captions) {
  static final double SECONDS = 8.0;
  /** Three short cues (1.2 s each, the last ending at 4.4 s): a cue is published when the media passes its end, well inside the grace. */
  private static final double CAPTIONED_SECONDS = 4.5;

  static SpeechClip make(Path dir) {
    return new SpeechClip(TestMedia.clip(dir, "clip.mkv", SECONDS, 320, 240, 25), TestMedia.srt(dir, CAPTIONED_SECONDS));
  }

  /** The repository's models/ folder (npm face models, filled by ./mmstream setup). */
  static Path modelsDir() {
    return TestMedia.modelsDir();
  }
}
