package dev.mmstream.streams.topology;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.inference.ModelContract;
import dev.mmstream.streams.inference.ScoreOutcome;
import dev.mmstream.streams.inference.WindowScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Scores a window by how many steps each modality has, so tests can see what reached the model. */
final class FakeScorer implements WindowScorer {
  static final ModelContract EMOTION = new ModelContract(Task.EMOTION, "fake-emotion", "7", "fake",
      List.of("happy", "sad"), List.of(0.5f, 0.5f),
      Map.of("video", "video.test@v1", "audio", "audio.test@v1", "text", "text.test@v1"),
      Map.of("text", 48, "audio", 40, "video", 20), Map.of("text", 384, "audio", 67, "video", 300),
      List.of("text", "audio", "video"), List.of("text", "audio", "video"), "none", java.nio.file.Path.of("fake.onnx"));

  static final ModelContract GENRE = new ModelContract(Task.GENRE, "fake-genre", "3", "fake",
      List.of("action", "drama"), List.of(0.5f, 0.5f), EMOTION.specIds(),
      Map.of("text", 256, "audio", 120, "video", 64), EMOTION.inputDims(),
      List.of("text", "audio", "video"), List.of("text", "audio", "video"), "none", java.nio.file.Path.of("fake-genre.onnx"));

  final List<Integer> batchSizes = new ArrayList<>();
  final List<AssembledWindow> scored = new ArrayList<>();
  private final boolean servesGenre;

  /** Serves emotion only, as a models folder without a genre model. */
  FakeScorer() {
    this(false);
  }

  FakeScorer(boolean servesGenre) {
    this.servesGenre = servesGenre;
  }

  @Override
  public Optional<ModelContract> contract(Task task) {
    return task == Task.EMOTION ? Optional.of(EMOTION) : task == Task.GENRE && servesGenre ? Optional.of(GENRE) : Optional.empty();
  }

  @Override
  public List<ScoreOutcome> score(Task task, List<AssembledWindow> windows) {
    batchSizes.add(windows.size());
    scored.addAll(windows);
    ModelContract contract = contract(task).orElseThrow();
    float perStep = task == Task.GENRE ? 1000f : 100f; // a trailer has up to 120 audio steps: scores stay below 1
    return windows.stream().<ScoreOutcome>map(w -> new ScoreOutcome.Scored(
        new float[] {w.video().rows() / perStep, w.audio().rows() / perStep},
        new float[] {0.2f, 0.3f, 0.5f}, contract)).toList();
  }
}
