package dev.mmstream.ingest.extract;

/** What happened to one clip in a run. */
public sealed interface ClipOutcome {
  String clipId();

  /** Features and windows written. */
  record Extracted(String clipId, int windows, long mediaMs) implements ClipOutcome {}

  /** Finished by an earlier run with the same manifest row and settings. */
  record Skipped(String clipId) implements ClipOutcome {}

  /** Left out of the dataset; listed in errors.csv. */
  record Failed(String clipId, String reason) implements ClipOutcome {
    ClipError error() {
      return new ClipError(clipId, reason);
    }
  }
}
