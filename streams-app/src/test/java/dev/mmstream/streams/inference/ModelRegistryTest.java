package dev.mmstream.streams.inference;

import static dev.mmstream.streams.inference.Fixtures.CPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.inference.ScoreOutcome.Rejected;
import dev.mmstream.streams.inference.ScoreOutcome.Scored;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  private static final Duration POLL = Duration.ofMillis(200);
  /** Two polls to see the file settle plus load and warm-up; generous for a loaded CI machine. */
  private static final Duration SWAP_WITHIN = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void servesOneModelPerTaskTakingTheHighestVersion() {
    Fixtures.copy(Fixtures.EMOTION_V1, dir, "a.onnx");
    Fixtures.copy(Fixtures.EMOTION_V2, dir, "b-older-name.onnx");
    Fixtures.copy(Fixtures.GENRE_V1, dir, "genre.onnx");
    try (ModelRegistry registry = ModelRegistry.open(dir, CPU, POLL)) {
      assertThat(registry.contract(Task.EMOTION)).get().extracting(ModelContract::version).isEqualTo(Fixtures.V2);
      ModelContract genre = registry.contract(Task.GENRE).orElseThrow();
      assertThat(genre.labels()).containsExactly("action", "comedy", "drama", "horror");
      assertThat(genre.gateNames()).containsExactly("text", "audio", "video");
      ModelWindow w = Fixtures.randomWindow(genre, new Random(1), 4, 4, 4);
      Scored scored = (Scored) registry.score(Task.GENRE, Fixtures.assembled(List.of(w))).get(0);
      assertThat(scored.model()).isEqualTo(genre);
      assertThat(scored.probs()).hasSize(4);
    }
  }

  @Test
  void startupRefusesABadFileAndServesTheGoodOneBesideIt() {
    Fixtures.copy(Fixtures.EMOTION_V1, dir, "good.onnx");
    Fixtures.copy("bad/missing-thresholds.onnx", dir, "bad.onnx");
    try (ModelRegistry registry = ModelRegistry.open(dir, CPU, POLL)) {
      assertThat(registry.contract(Task.EMOTION)).get().extracting(ModelContract::version).isEqualTo(Fixtures.V1);
      assertThat(registry.refusals()).isEqualTo(1);
      assertThat(registry.lastRefusal()).get().asString().contains("bad.onnx").contains("thresholds");
    }
  }

  @Test
  void startupFailsNamingTheFileWhenNoFileLoads() {
    Fixtures.copy("bad/missing-thresholds.onnx", dir, "bad.onnx");
    assertThatThrownBy(() -> ModelRegistry.open(dir, CPU, POLL))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("bad.onnx")
        .hasMessageContaining("thresholds");
  }

  @Test
  void startupFailsOnTwoFilesWithOneVersionForOneTask() {
    Fixtures.copy(Fixtures.EMOTION_V1, dir, "one.onnx");
    Fixtures.copy(Fixtures.EMOTION_V1, dir, "two.onnx");
    assertThatThrownBy(() -> ModelRegistry.open(dir, CPU, POLL))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("both serve EMOTION with model_version " + Fixtures.V1 + ": remove one");
  }

  @Test
  void startupFailsOnAnEmptyOrMissingDirectory() {
    assertThatThrownBy(() -> ModelRegistry.open(dir, CPU, POLL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no *.onnx file");
    assertThatThrownBy(() -> ModelRegistry.open(dir.resolve("absent"), CPU, POLL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
  }

  @Test
  void aTaskWithoutAModelIsRejectedNotThrown() {
    Fixtures.copy(Fixtures.EMOTION_V1, dir, "emotion.onnx");
    try (ModelRegistry registry = ModelRegistry.open(dir, CPU, POLL)) {
      ModelContract emotion = registry.contract(Task.EMOTION).orElseThrow();
      ModelWindow w = Fixtures.randomWindow(emotion, new Random(2), 1, 1, 1);
      w.setTask(Task.GENRE);
      assertThat(registry.contract(Task.GENRE)).isEmpty();
      assertThat(registry.score(Task.GENRE, Fixtures.assembled(List.of(w)))).singleElement()
          .isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(DeadLetterReason.SPEC_MISMATCH);
            assertThat(r.detail()).contains("no model serves task GENRE");
          });
    }
  }

  @Test
  void aNewVersionIsSwappedInWhileScoringGoesOn() throws Exception {
    Fixtures.copy(Fixtures.EMOTION_V1, dir, "emotion-v1.onnx");
    try (ModelRegistry registry = ModelRegistry.open(dir, CPU, POLL)) {
      ModelContract v1 = registry.contract(Task.EMOTION).orElseThrow();
      List<ModelWindow> windows = List.of(Fixtures.randomWindow(v1, new Random(4), 5, 6, 3),
          Fixtures.randomWindow(v1, new Random(5), 2, 0, 6));
      float[] before = ((Scored) registry.score(Task.EMOTION, Fixtures.assembled(windows)).get(0)).probs();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger runs = new AtomicInteger();
      ConcurrentLinkedQueue<Object> failures = new ConcurrentLinkedQueue<>();
      List<Thread> scorers = new ArrayList<>();
      for (int t = 0; t < 2; t++) { // stream threads that never pause around the swap
        Thread thread = new Thread(() -> {
          while (!stop.get()) {
            try {
              registry.score(Task.EMOTION, Fixtures.assembled(windows)).stream().filter(o -> !(o instanceof Scored)).forEach(failures::add);
              runs.incrementAndGet();
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        });
        thread.start();
        scorers.add(thread);
      }

      long copied = System.nanoTime();
      Fixtures.copy(Fixtures.EMOTION_V2, dir, "emotion-v2.onnx");

      await().atMost(SWAP_WITHIN).until(
          () -> registry.contract(Task.EMOTION).orElseThrow().version().equals(Fixtures.V2));
      System.out.printf("hot swap %d ms after the copy (poll %d ms)%n", (System.nanoTime() - copied) / 1_000_000,
          POLL.toMillis());
      int atSwap = runs.get();
      await().atMost(SWAP_WITHIN).until(() -> runs.get() > atSwap + 5);
      stop.set(true);
      for (Thread thread : scorers) {
        thread.join();
      }
      assertThat(failures).isEmpty();
      Scored after = (Scored) registry.score(Task.EMOTION, Fixtures.assembled(windows)).get(0);
      assertThat(after.model().version()).isEqualTo(Fixtures.V2);
      assertThat(after.probs()).isNotEqualTo(before); // another seed: really the new session
      assertThat(registry.refusals()).isZero();
    }
  }

  @Test
  void aCorruptNewFileIsRefusedAndTheOldModelKeepsServing() throws Exception {
    Fixtures.copy(Fixtures.EMOTION_V1, dir, "emotion-v1.onnx");
    try (ModelRegistry registry = ModelRegistry.open(dir, CPU, POLL)) {
      byte[] model = Files.readAllBytes(Fixtures.model(Fixtures.EMOTION_V2));
      Files.write(dir.resolve("emotion-v3.onnx"), java.util.Arrays.copyOf(model, model.length / 2));

      await().atMost(SWAP_WITHIN).until(() -> registry.refusals() == 1);
      assertThat(registry.lastRefusal()).get().asString()
          .contains("emotion-v3.onnx").contains("ONNX Runtime cannot load it");
      ModelContract serving = registry.contract(Task.EMOTION).orElseThrow();
      assertThat(serving.version()).isEqualTo(Fixtures.V1);
      ModelWindow w = Fixtures.randomWindow(serving, new Random(6), 3, 3, 3);
      assertThat(registry.score(Task.EMOTION, Fixtures.assembled(List.of(w)))).singleElement().isInstanceOf(Scored.class);
    }
  }

  @Test
  void anOlderVersionDroppedInIsNotSwappedIn() {
    Fixtures.copy(Fixtures.EMOTION_V2, dir, "emotion-v2.onnx");
    try (ModelRegistry registry = ModelRegistry.open(dir, CPU, POLL)) {
      Fixtures.copy(Fixtures.EMOTION_V1, dir, "emotion-v1.onnx");

      await().atMost(SWAP_WITHIN).until(() -> registry.refusals() == 1);
      assertThat(registry.lastRefusal()).get().asString().contains("is not newer than the serving");
      assertThat(registry.contract(Task.EMOTION).orElseThrow().version()).isEqualTo(Fixtures.V2);
    }
  }

  @Test
  void theServingFileRewrittenInPlaceIsSwappedEvenToAnOlderVersion() {
    Path file = Fixtures.copy(Fixtures.EMOTION_V2, dir, "emotion.onnx");
    try (ModelRegistry registry = ModelRegistry.open(dir, CPU, POLL)) {
      Fixtures.copy(Fixtures.EMOTION_V1, dir, file.getFileName().toString());

      await().atMost(SWAP_WITHIN).until(
          () -> registry.contract(Task.EMOTION).orElseThrow().version().equals(Fixtures.V1));
    }
  }
}
