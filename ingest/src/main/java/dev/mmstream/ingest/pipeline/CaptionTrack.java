package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.publish.FeatureSink;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.ingest.transcript.CaptionException;
import dev.mmstream.ingest.transcript.CaptionFiles;
import dev.mmstream.ingest.transcript.EmbeddedSubtitleReader;
import dev.mmstream.ingest.transcript.ParsedCaptions;
import dev.mmstream.ingest.transcript.TokenFeaturizer;
import dev.mmstream.schema.v1.TokenFeatures;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's captions as token features, released as soon as the media reaches each cue's start:
 * sidecar and embedded captions are known ahead, and releasing a cue early means every window its
 * tokens fall in can still see it when audio and video close that window (a cue released at its end
 * would miss windows that closed while it was still being spoken). Sidecar SRT/WebVTT first; otherwise a file's
 * embedded subtitle stream; otherwise none (the text modality is then masked downstream).
 */
final class CaptionTrack {
  private static final Logger log = LoggerFactory.getLogger(CaptionTrack.class);

  private final Deque<TokenFeatures> pending;
  private final List<String> warnings;

  private CaptionTrack(List<TokenFeatures> cues, List<String> warnings) {
    this.warnings = warnings;
    this.pending = new ArrayDeque<>(cues.stream().sorted(Comparator.comparingLong(TokenFeatures::getCueStartMs)
        .thenComparingInt(TokenFeatures::getCueIndex)).toList());
  }

  static CaptionTrack load(StreamRequest request, Supplier<TokenFeaturizer> text) {
    ParsedCaptions parsed = request.captions().map(CaptionFiles::read).orElseGet(() -> embedded(request));
    String origin = request.captions().map(Path::toString).orElse("embedded subtitles");
    List<String> warnings = parsed.warnings().stream().map(w -> origin + ": " + w).toList();
    warnings.forEach(w -> log.warn("{}: captions: {}", request.streamId(), w));
    List<TokenFeatures> cues = parsed.cues().isEmpty() ? List.of() : text.get().embedAll(parsed.cues());
    // the text encoder is shared between streams: stamp this stream's id on its records
    cues.forEach(cue -> cue.setStreamId(request.streamId()));
    return new CaptionTrack(cues, warnings);
  }

  /** Cues skipped while reading the captions, each with where it was ("line 12: ..."). */
  List<String> warnings() {
    return warnings;
  }

  private static ParsedCaptions embedded(StreamRequest request) {
    if (request.media().filter(SourceUri::isFile).isEmpty()) {
      return ParsedCaptions.empty();
    }
    try {
      return EmbeddedSubtitleReader.read(Path.of(request.media().get().ffmpegInput()));
    } catch (CaptionException e) {
      // A file FFmpeg cannot open holds no subtitles either; the decoder reports why it is unreadable,
      // after START, so the stream still ends with that reason.
      log.debug("{}: no embedded subtitles: {}", request.streamId(), e.getMessage());
      return ParsedCaptions.empty();
    }
  }

  /** Where the last cue ends, milliseconds; 0 without cues. A transcript-only stream ends there. */
  long endMs() {
    return pending.stream().mapToLong(TokenFeatures::getCueEndMs).max().orElse(0);
  }

  /** Start of the next cue not yet released, milliseconds; -1 when every cue has been. */
  long nextStartMs() {
    return pending.isEmpty() ? -1 : pending.peekFirst().getCueStartMs();
  }

  void emitStartedBy(long mediaMs, FeatureSink sink) {
    while (!pending.isEmpty() && pending.peekFirst().getCueStartMs() <= mediaMs) {
      sink.tokens(pending.pollFirst());
    }
  }

  void emitAll(FeatureSink sink) {
    while (!pending.isEmpty()) {
      sink.tokens(pending.pollFirst());
    }
  }

  /**
   * After a source broke off at {@code mediaMs}: the cues that had begun by then (the stream did show
   * them); the rest belong to media that never played.
   *
   * @return how many cues were left out
   */
  int emitStartedBefore(long mediaMs, FeatureSink sink) {
    int dropped = 0;
    while (!pending.isEmpty()) {
      TokenFeatures cue = pending.pollFirst();
      if (cue.getCueStartMs() < mediaMs) {
        sink.tokens(cue);
      } else {
        dropped++;
      }
    }
    return dropped;
  }
}
