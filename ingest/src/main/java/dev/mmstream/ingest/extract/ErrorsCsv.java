package dev.mmstream.ingest.extract;

import java.nio.file.Path;
import java.util.List;

/** errors.csv: a header {@code clip_id,reason} and one quoted row per clip left out of the dataset. */
final class ErrorsCsv {
  private ErrorsCsv() {}

  static void write(Path file, List<ClipError> errors) {
    var csv = new StringBuilder("clip_id,reason\n");
    for (ClipError e : errors) {
      csv.append(CsvFiles.quote(e.clipId())).append(',').append(CsvFiles.quote(e.reason())).append('\n');
    }
    CsvFiles.write(file, csv);
  }
}
