package dev.mmstream.ingest.pipeline;

import java.util.List;
import java.util.Locale;

/** How an ingest run ended, with the problems worth telling the user that did not stop it. */
public sealed interface IngestOutcome {
  String streamId();

  long mediaMs();

  long wallMs();

  String counts();

  /** Non-fatal problems, e.g. caption cues skipped with their line numbers. */
  List<String> warnings();

  /** Media time processed per second of wall time. */
  default double speed() {
    return wallMs() == 0 ? 0 : (double) mediaMs() / wallMs();
  }

  /** The whole source was read. */
  record Completed(String streamId, long mediaMs, long wallMs, String counts, List<String> warnings)
      implements IngestOutcome {
    public Completed {
      warnings = List.copyOf(warnings);
    }
  }

  /** The source broke or could not be read; what was decoded before was still published. */
  record Failed(String streamId, long mediaMs, long wallMs, String counts, List<String> warnings, String reason)
      implements IngestOutcome {
    public Failed {
      warnings = List.copyOf(warnings);
    }
  }

  default String summary() {
    String head = String.format(Locale.ROOT, "%s: %.1f s of media in %.1f s (%.1fx real time): %s",
        streamId(), mediaMs() / 1000.0, wallMs() / 1000.0, speed(), counts());
    return this instanceof Failed f ? head + "; FAILED: " + f.reason() : head;
  }
}
