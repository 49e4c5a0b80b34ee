package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One stream to ingest.
 *
 * @param streamId key of every record of the stream
 * @param source what to decode
 * @param captions sidecar SRT/WebVTT file; without one, a file's embedded subtitle stream is used
 * @param task what the stream is classified for
 * @param metadata free metadata for START (title, plot, ...)
 * @param originMs wall-clock time of media pts 0, epoch ms (a whole second, so windows line up)
 */
public record StreamRequest(
    String streamId, SourceUri source, Optional<Path> captions, Task task, Map<String, String> metadata, long originMs) {
  public StreamRequest {
    Objects.requireNonNull(source, "source");
    if (streamId == null || streamId.isBlank()) {
      throw new IllegalArgumentException("--stream-id must not be blank");
    }
    metadata = Map.copyOf(metadata);
  }

  /** Now, rounded down to a whole second: event-time windows then fall on whole media seconds. */
  public static long originNow() {
    long now = System.currentTimeMillis();
    return now - now % 1000;
  }
}
