package dev.mmstream.ingest.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * clips.csv: {@code clip_id} and the manifest's extra columns (source, speaker, the corpus's own label, ...)
 * for every clip of the manifest, so that training and evaluation can group and report by them without the
 * manifest at hand.
 */
final class ClipsCsv {
  private ClipsCsv() {}

  static void write(Path file, Manifest manifest) {
    var csv = new StringBuilder("clip_id");
    manifest.extraColumns().forEach(c -> csv.append(',').append(quote(c)));
    csv.append('\n');
    for (Clip clip : manifest.clips()) {
      csv.append(quote(clip.id()));
      for (String column : manifest.extraColumns()) {
        csv.append(',').append(quote(clip.attributes().getOrDefault(column, "")));
      }
      csv.append('\n');
    }
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

  private static String quote(String field) {
    String oneLine = field.replace("\r", " ").replace("\n", " ");
    return oneLine.matches("[A-Za-z0-9._;+-]*") ? oneLine : "\"" + oneLine.replace("\"", "\"\"") + "\"";
  }
}
