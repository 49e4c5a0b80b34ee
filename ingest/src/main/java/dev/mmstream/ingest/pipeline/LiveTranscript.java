package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.publish.FeatureSink;
import dev.mmstream.ingest.publish.RecordCounts;
import dev.mmstream.ingest.transcript.LiveLine;
import dev.mmstream.schema.v1.TokenFeatures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A transcript-only stream fed live, one cue per line ({@link LiveLine}): START, then each line's token
 * features as soon as it is read, then END when the input ends. Lines that cannot be read are skipped with a
 * warning naming them; the stream goes on.
 */
public final class LiveTranscript {
  private final Featurizers featurizers;
  private final LongSupplier clockMs;
  private final WarningSink warnings;

  /** Where a skipped line is reported while the stream runs (stderr in the command). */
  public interface WarningSink {
    void warn(String message);
  }

  /**
   * @param clockMs wall-clock epoch milliseconds, stamping untimed lines
   */
  public LiveTranscript(Featurizers featurizers, LongSupplier clockMs, WarningSink warnings) {
    this.featurizers = featurizers;
    this.clockMs = clockMs;
    this.warnings = warnings;
  }

  public IngestOutcome run(StreamRequest request, BufferedReader lines, FeatureSink sink) {
    long started = System.nanoTime();
    var counts = new RecordCounts(sink);
    int skipped = 0;
    counts.event(StreamEvents.start(request, null)); // a live transcript is no trailer
    long endMs = 0;
    int index = 0;
    int lineNumber = 0;
    String failure = null;
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        lineNumber++;
        var parsed = parse(line, lineNumber);
        if (parsed == null) {
          skipped += line.isBlank() ? 0 : 1;
          continue;
        }
        var cue = parsed.cue(index++, clockMs.getAsLong() - request.originMs());
        TokenFeatures features = featurizers.text().embed(cue);
        features.setStreamId(request.streamId());
        counts.tokens(features);
        endMs = Math.max(endMs, cue.endMs());
      }
    } catch (IOException e) {
      failure = "reading the transcript broke off after line " + lineNumber + ": " + e.getMessage();
    } catch (UncheckedIOException e) {
      failure = "reading the transcript broke off after line " + lineNumber + ": " + e.getCause().getMessage();
    }
    counts.event(StreamEvents.end(request, endMs, failure));
    long wallMs = (System.nanoTime() - started) / 1_000_000;
    List<String> notes = skipped == 0 ? List.of() : List.of(skipped + " line(s) of the transcript were skipped (each reported as it came)");
    return failure == null
        ? new IngestOutcome.Completed(request.streamId(), endMs, wallMs, counts.toString(), notes)
        : new IngestOutcome.Failed(request.streamId(), endMs, wallMs, counts.toString(), notes, failure);
  }

  private LiveLine parse(String line, int number) {
    try {
      return LiveLine.parse(line).orElse(null);
    } catch (IllegalArgumentException e) {
      warnings.warn("transcript line " + number + " skipped: " + e.getMessage());
      return null;
    }
  }
}
