package dev.mmstream.ingest.extract;

import dev.mmstream.schema.v1.Task;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks one manifest row and collects every problem it has, each phrased for the person fixing it. */
final class RowCheck {
  /** Clip ids name files: keep them to characters every file system takes. */
  private static final Pattern CLIP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Set<String> SPLITS = Set.of("train", "val", "test");

  private final int line;
  private final List<String> fields;
  private final String id;
  private final List<String> problems = new ArrayList<>();
  private Optional<Path> media = Optional.empty();
  private Optional<Path> captions = Optional.empty();
  private Map<String, String> metadata = Map.of();
  private Optional<Task> metadataTask = Optional.empty();
  private List<String> labels = List.of();
  private String split;
  private Map<String, String> attributes = Map.of();

  private RowCheck(int line, List<String> fields, String id) {
    this.line = line;
    this.fields = fields;
    this.id = id;
  }

  static RowCheck of(CsvRecords.Line row, Map<String, Integer> header, Path base) {
    int width = header.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    List<String> fields = row.fields();
    var check = new RowCheck(row.number(), fields, field(fields, header, "clip_id"));
    if (fields.size() < width) {
      check.problem("the row has " + fields.size() + " fields but the header has " + width + " columns");
    }
    check.checkId();
    String mediaPath = field(fields, header, "media_path");
    String captionsPath = field(fields, header, Manifest.CAPTIONS);
    if (mediaPath.isEmpty() && captionsPath.isEmpty()) {
      check.problem("media_path and captions_path are both empty: a clip needs media, captions (a text-only clip) or both");
    }
    check.media = check.existingFile("media_path", mediaPath, base);
    check.captions = check.existingFile(Manifest.CAPTIONS, captionsPath, base);
    check.existingFile(Manifest.METADATA, field(fields, header, Manifest.METADATA), base).ifPresent(check::readMetadata);
    check.split = field(fields, header, "split");
    if (!SPLITS.contains(check.split)) {
      check.problem("split '" + check.split + "' is not train, val or test");
    }
    check.labels = splitLabels(field(fields, header, "labels"));
    var attributes = new LinkedHashMap<String, String>();
    Manifest.extraColumns(header).forEach(c -> attributes.put(c, field(fields, header, c)));
    check.attributes = attributes;
    return check;
  }

  /** A clip id that is safe as a file name. */
  static boolean isClipId(String id) {
    return CLIP_ID.matcher(id).matches();
  }

  int line() {
    return line;
  }

  String id() {
    return id;
  }

  Optional<Task> metadataTask() {
    return metadataTask;
  }

  void problem(String message) {
    problems.add(message);
  }

  /** A clip's own task (metadata "task") must be the dataset's: one dataset holds one task. */
  void checkTask(Task dataset, boolean fromOption) {
    metadataTask.filter(t -> t != dataset).ifPresent(t -> problem("its metadata says task " + TaskLabels.name(t)
        + " but this dataset is " + TaskLabels.name(dataset) + (fromOption ? " (--task)" : " (the first clip's task)")
        + ": extract each task into its own --out"));
  }

  void checkLabels(Task task) {
    List<String> known = TaskLabels.of(task);
    for (String label : labels) {
      if (!known.contains(label)) {
        problem("unknown label '" + label + "' for task " + TaskLabels.name(task) + " (known: " + String.join(", ", known) + ")");
      }
    }
    labels = known.stream().filter(labels::contains).toList();
  }

  Optional<Clip> toClip() {
    return problems.isEmpty()
        ? Optional.of(new Clip(line, id, media, captions, metadata, labels, split, fields, attributes))
        : Optional.empty();
  }

  ClipError error() {
    return new ClipError(id, "manifest line " + line + ": " + String.join("; ", problems));
  }

  private void checkId() {
    if (id.isEmpty()) {
      problem("clip_id is empty");
    } else if (!isClipId(id)) {
      problem("clip id '" + id + "' may only hold letters, digits, '.', '_' and '-' (at most 128, starting with a letter or digit): it names the clip's files");
    }
  }

  private Optional<Path> existingFile(String column, String value, Path base) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Path path;
    try {
      path = base.resolve(value).normalize();
    } catch (InvalidPathException e) {
      problem(column + " '" + value + "' is not a valid path");
      return Optional.empty();
    }
    if (!Files.exists(path)) {
      problem(column + " " + path + " does not exist");
      return Optional.empty();
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      problem(column + " " + path + " is not a readable file");
      return Optional.empty();
    }
    return Optional.of(path);
  }

  private void readMetadata(Path file) {
    try {
      metadata = ClipMetadata.read(file);
    } catch (IllegalArgumentException e) {
      problem(e.getMessage());
      return;
    }
    String task = metadata.get(ClipMetadata.TASK_FIELD);
    if (task != null) {
      metadataTask = TaskLabels.parseTask(task);
      if (metadataTask.isEmpty()) {
        problem("metadata " + file + " has task '" + task + "': use emotion or genre");
      }
    }
  }

  private static String field(List<String> fields, Map<String, Integer> header, String column) {
    Integer at = header.get(column);
    return at == null || at >= fields.size() ? "" : fields.get(at).strip();
  }

  private static List<String> splitLabels(String value) {
    var labels = new LinkedHashSet<String>();
    for (String part : value.split(";")) {
      if (!part.isBlank()) {
        labels.add(part.strip().toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(labels);
  }
}
