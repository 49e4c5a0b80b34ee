package dev.mmstream.ingest.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** errors.csv: a header {@code clip_id,reason} and one quoted row per clip left out of the dataset. */
final class ErrorsCsv {
  private ErrorsCsv() {}

  static void write(Path file, List<ClipError> errors) {
    var csv = new StringBuilder("clip_id,reason\n");
    for (ClipError e : errors) {
      csv.append(quote(e.clipId())).append(',').append(quote(e.reason())).append('\n');
    }
    Path partial = file.resolveSibling("." + file.getFileName() + DatasetLayout.PARTIAL);
    try {
      Files.writeString(partial, csv, StandardCharsets.UTF_8);
      DatasetLayout.publish(partial, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String quote(String field) {
    String oneLine = field.replace("\r", " ").replace("\n", " ");
    return "\"" + oneLine.replace("\"", "\"\"") + "\"";
  }
}
