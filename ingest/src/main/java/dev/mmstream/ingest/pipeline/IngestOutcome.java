package dev.mmstream.ingest.pipeline;

import java.util.Locale;

/** How an ingest run ended. */
public sealed interface IngestOutcome {
  String streamId();

  long mediaMs();

  long wallMs();

  String counts();

  /** Media time processed per second of wall time. */
  default double speed() {
    return wallMs() == 0 ? 0 : (double) mediaMs() / wallMs();
  }

  /** The whole source was read. */
  record Completed(String streamId, long mediaMs, long wallMs, String counts) implements IngestOutcome {}

  /** The source broke or could not be read; what was decoded before was still published. */
  record Failed(String streamId, long mediaMs, long wallMs, String counts, String reason) implements IngestOutcome {}

  default String summary() {
    String head = String.format(Locale.ROOT, "%s: %.1f s of media in %.1f s (%.1fx real time): %s",
        streamId(), mediaMs() / 1000.0, wallMs() / 1000.0, speed(), counts());
    return this instanceof Failed f ? head + "; FAILED: " + f.reason() : head;
  }
}
