package dev.mmstream.ingest.extract;

import dev.mmstream.schema.v1.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A labelled manifest, checked row by row before any media is decoded. Columns (header names, any
 * order, extra columns ignored): {@code clip_id}, {@code media_path}, {@code labels} (';'-separated),
 * {@code split} (train, val or test), and optionally {@code captions_path} and {@code metadata_path};
 * paths are relative to the manifest's folder unless absolute. A row with captions and an empty
 * {@code media_path} is a text-only clip. Extra columns (source, speaker, ...) travel with each clip
 * into the dataset's {@code clips.csv}. A bad row becomes a {@link ClipError}
 * naming its line; the other rows go on. Of rows sharing a clip id the first is kept.
 *
 * @param task the dataset's task: {@code --task}, else the first metadata {@code "task"}, else emotion
 * @param clips valid rows, in manifest order
 * @param errors bad rows, in manifest order
 * @param extraColumns the header's columns beyond the ones extract reads, in header order
 */
public record Manifest(Task task, List<Clip> clips, List<ClipError> errors, List<String> extraColumns) {
  static final List<String> REQUIRED = List.of("clip_id", "media_path", "labels", "split");
  static final String CAPTIONS = "captions_path";
  static final String METADATA = "metadata_path";

  public Manifest {
    clips = List.copyOf(clips);
    errors = List.copyOf(errors);
    extraColumns = List.copyOf(extraColumns);
  }

  /** Header columns that extract does not read itself, in header order. */
  static List<String> extraColumns(Map<String, Integer> header) {
    var known = new HashSet<>(REQUIRED);
    known.addAll(List.of(CAPTIONS, METADATA));
    return header.entrySet().stream()
        .filter(e -> !known.contains(e.getKey()) && !e.getKey().isEmpty())
        .sorted(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * @param task the task to extract for; empty = decide from the clips' metadata (else emotion)
   * @throws ManifestException when the file is unreadable or lacks a required column
   */
  public static Manifest read(Path file, Optional<Task> task) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ManifestException("cannot read manifest " + file + ": " + e.getMessage()
          + " (pass --manifest with the manifest.csv that ./mmstream synth writes, or your own)", e);
    }
    List<CsvRecords.Line> lines;
    try {
      lines = CsvRecords.parse(text).stream().filter(l -> l.fields().stream().anyMatch(f -> !f.isBlank())).toList();
    } catch (IllegalArgumentException e) {
      throw new ManifestException("manifest " + file + " is not valid CSV: " + e.getMessage());
    }
    if (lines.isEmpty()) {
      throw new ManifestException("manifest " + file + " is empty: it needs a header line "
          + String.join(",", REQUIRED) + " (plus optional " + CAPTIONS + ", " + METADATA + ") and one row per clip");
    }
    var header = header(file, lines.get(0));
    if (lines.size() == 1) {
      throw new ManifestException("manifest " + file + " has a header but no clip rows: add one row per clip");
    }
    var rows = new ArrayList<RowCheck>();
    for (CsvRecords.Line line : lines.subList(1, lines.size())) {
      rows.add(RowCheck.of(line, header, file.toAbsolutePath().getParent()));
    }
    Task chosen = task.orElseGet(() -> rows.stream().flatMap(r -> r.metadataTask().stream()).findFirst().orElse(Task.EMOTION));
    var clips = new ArrayList<Clip>();
    var errors = new ArrayList<ClipError>();
    var firstLineOf = new HashMap<String, Integer>();
    for (RowCheck row : rows) {
      Integer first = row.id().isEmpty() ? null : firstLineOf.putIfAbsent(row.id(), row.line());
      if (first != null) {
        row.problem("clip id '" + row.id() + "' was already used on line " + first
            + "; clip ids must be unique (the row on line " + first + " is kept)");
      }
      row.checkTask(chosen, task.isPresent());
      row.checkLabels(chosen);
      row.toClip().ifPresentOrElse(clips::add, () -> errors.add(row.error()));
    }
    return new Manifest(chosen, clips, errors, extraColumns(header));
  }

  private static Map<String, Integer> header(Path file, CsvRecords.Line line) {
    var columns = new HashMap<String, Integer>();
    for (int i = 0; i < line.fields().size(); i++) {
      columns.putIfAbsent(line.fields().get(i).strip(), i);
    }
    var missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new ManifestException("manifest " + file + " line " + line.number() + " (the header) lacks the column(s) "
          + missing + "; the header must name " + String.join(",", REQUIRED) + " (optional: " + CAPTIONS + ", "
          + METADATA + "), found " + line.fields());
    }
    return columns;
  }
}
