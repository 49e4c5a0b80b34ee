package dev.mmstream.ingest.extract;

import dev.mmstream.schema.v1.Task;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The label set of each task, in the order models and {@code dataset.json} list them: the six
 * CMU-MOSEI emotions and the 13 Moviescope genres.
 */
public final class TaskLabels {
  public static final List<String> EMOTION = List.of("anger", "disgust", "fear", "happy", "sad", "surprise");
  public static final List<String> GENRE = List.of(
      "action", "animation", "biography", "comedy", "crime", "drama", "family", "fantasy",
      "horror", "mystery", "romance", "sci-fi", "thriller");

  private TaskLabels() {}

  public static List<String> of(Task task) {
    return switch (task) {
      case EMOTION -> EMOTION;
      case GENRE -> GENRE;
      default -> throw new IllegalArgumentException("task " + task + " has no label set: use emotion or genre");
    };
  }

  /** {@code emotion} or {@code genre}, any case; empty for anything else. */
  public static Optional<Task> parseTask(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "emotion" -> Optional.of(Task.EMOTION);
      case "genre" -> Optional.of(Task.GENRE);
      default -> Optional.empty();
    };
  }

  /** The lower-case name used in manifests, metadata and {@code dataset.json}. */
  public static String name(Task task) {
    return task.name().toLowerCase(Locale.ROOT);
  }
}
