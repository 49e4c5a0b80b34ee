package dev.mmstream.ingest.extract;

import java.nio.file.Path;

/**
 * clips.csv: {@code clip_id} and the manifest's extra columns (source, speaker, the corpus's own label, ...)
 * for every clip of the manifest, so that training and evaluation can group and report by them without the
 * manifest at hand.
 */
final class ClipsCsv {
  private ClipsCsv() {}

  static void write(Path file, Manifest manifest) {
    var csv = new StringBuilder("clip_id");
    manifest.extraColumns().forEach(c -> csv.append(',').append(CsvFiles.quote(c)));
    csv.append('\n');
    for (Clip clip : manifest.clips()) {
      csv.append(CsvFiles.quote(clip.id()));
      for (String column : manifest.extraColumns()) {
        csv.append(',').append(CsvFiles.quote(clip.attributes().getOrDefault(column, "")));
      }
      csv.append('\n');
    }
    CsvFiles.write(file, csv);
  }
}
