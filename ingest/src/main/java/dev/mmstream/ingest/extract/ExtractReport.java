package dev.mmstream.ingest.extract;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a run did.
 *
 * @param clips valid manifest rows
 * @param extracted clips written by this run
 * @param skipped clips finished by an earlier run
 * @param errors bad manifest rows and failed clips, as in errors.csv
 * @param summary the dataset.json written at the end
 */
public record ExtractReport(
    int clips, int extracted, int skipped, List<ClipError> errors, DatasetSummary summary, Duration wall) {
  public ExtractReport {
    errors = List.copyOf(errors);
  }

  public String describe() {
    return String.format(Locale.ROOT,
        "%d clips extracted, %d skipped (already done), %d left out (see errors.csv) in %.1f s; dataset: %d clips, %d windows",
        extracted, skipped, errors.size(), wall.toMillis() / 1000.0, summary.clips(), summary.windows());
  }
}
