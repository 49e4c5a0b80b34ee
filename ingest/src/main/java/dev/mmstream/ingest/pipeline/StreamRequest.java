package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One stream to ingest: media with or without captions, or captions alone (a transcript-only stream,
 * whose time runs on its cues).
 *
 * @param streamId key of every record of the stream
 * @param media what to decode; empty for a transcript-only stream
 * @param captions sidecar SRT/WebVTT file; without one, a media file's embedded subtitle stream is used
 * @param task what the stream is classified for
 * @param metadata free metadata for START (title, plot, ...)
 * @param originMs wall-clock time of media pts 0, epoch ms (a whole second, so windows line up)
 */
public record StreamRequest(
    String streamId, Optional<SourceUri> media, Optional<Path> captions, Task task, Map<String, String> metadata,
    long originMs) {
  public StreamRequest {
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(captions, "captions");
    if (streamId == null || streamId.isBlank()) {
      throw new IllegalArgumentException("--stream-id must not be blank");
    }
    if (media.isEmpty() && captions.isEmpty()) {
      throw new IllegalArgumentException("stream " + streamId + " has neither media nor captions: give --source, --captions or both");
    }
    metadata = Map.copyOf(metadata);
  }

  /** A stream with media (and captions from a sidecar file or, without one, embedded in the file). */
  public StreamRequest(
      String streamId, SourceUri source, Optional<Path> captions, Task task, Map<String, String> metadata, long originMs) {
    this(streamId, Optional.of(source), captions, task, metadata, originMs);
  }

  /** A transcript-only stream: the cues of a caption file are all it has. */
  public static StreamRequest transcript(String streamId, Path captions, Task task, Map<String, String> metadata, long originMs) {
    return new StreamRequest(streamId, Optional.empty(), Optional.of(captions), task, metadata, originMs);
  }

  /** What START and END name as the stream's source: the media's URI, else the caption file. */
  public String sourceName() {
    return media.map(SourceUri::uri).orElseGet(() -> captions.map(Path::toString).orElse(""));
  }

  /** Now, rounded down to a whole second: event-time windows then fall on whole media seconds. */
  public static long originNow() {
    long now = System.currentTimeMillis();
    return now - now % 1000;
  }
}
