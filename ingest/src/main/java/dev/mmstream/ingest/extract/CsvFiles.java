package dev.mmstream.ingest.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The dataset's small CSV files (errors.csv, clips.csv): quoted one-line fields, written atomically. */
final class CsvFiles {
  private CsvFiles() {}

  static String quote(String field) {
    String oneLine = field.replace("\r", " ").replace("\n", " ");
    return "\"" + oneLine.replace("\"", "\"\"") + "\"";
  }

  /** Writes under a temporary name and renames; a file that already holds exactly this text is left alone. */
  static void write(Path file, CharSequence csv) {
    Path partial = file.resolveSibling("." + file.getFileName() + DatasetLayout.PARTIAL);
    try {
      if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).contentEquals(csv)) {
        return; // a rerun over the same manifest leaves the dataset's files untouched
      }
      Files.writeString(partial, csv, StandardCharsets.UTF_8);
      DatasetLayout.publish(partial, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
