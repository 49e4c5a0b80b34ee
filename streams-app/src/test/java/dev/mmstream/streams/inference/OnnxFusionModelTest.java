package dev.mmstream.streams.inference;

import static dev.mmstream.streams.inference.Fixtures.CPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.MalformedFeaturesException;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.inference.ScoreOutcome.Rejected;
import dev.mmstream.streams.inference.ScoreOutcome.Scored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxFusionModelTest {
  private static OnnxFusionModel model;
  private static ModelContract contract;

  @BeforeAll
  static void load() {
    model = OnnxFusionModel.load(Fixtures.model(Fixtures.EMOTION_V1), CPU);
    contract = model.contract();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void readsTheContractFromTheExportMetadata() {
    assertThat(contract.task()).isEqualTo(Task.EMOTION);
    assertThat(contract.version()).isEqualTo(Fixtures.V1);
    assertThat(contract.name()).isEqualTo("mmstream-emotion-hybrid");
    assertThat(contract.labels()).containsExactly("anger", "disgust", "fear", "happiness", "sadness", "surprise");
    assertThat(contract.thresholds()).hasSize(6).allSatisfy(t -> assertThat(t).isBetween(0f, 1f));
    assertThat(contract.gateNames()).containsExactly("text", "audio", "video", "early");
    assertThat(contract.inputDims()).containsEntry("text", 16).containsEntry("audio", 7).containsEntry("video", 10);
    assertThat(contract.specIds()).containsOnlyKeys("text", "audio", "video", "window");
    assertThat(model.device()).isEqualTo(Device.CPU);
  }

  @Test
  void reproducesThePyTorchOutputsOfTheExportFixture() {
    JsonNode fixture = Fixtures.exportFixture();
    List<ModelWindow> windows = List.of(Fixtures.fixtureWindow(fixture, 0, contract),
        Fixtures.fixtureWindow(fixture, 1, contract), Fixtures.fixtureWindow(fixture, 2, contract));
    assertThat(windows.get(1).getVideo().getRows()).isZero();
    assertThat(windows.get(2).getText().getRows()).isZero();

    List<ScoreOutcome> outcomes = model.score(Fixtures.assembled(windows));

    double maxDiff = 0;
    for (String output : List.of("probs", "gates")) {
      JsonNode expected = fixture.get("outputs").get(output);
      int width = expected.get("shape").get(1).asInt();
      for (int b = 0; b < 3; b++) {
        Scored scored = (Scored) outcomes.get(b);
        float[] got = output.equals("probs") ? scored.probs() : scored.gates();
        assertThat(got).hasSize(width);
        for (int c = 0; c < width; c++) {
          maxDiff = Math.max(maxDiff, Math.abs(got[c] - expected.get("data").get(b * width + c).asDouble()));
        }
      }
    }
    System.out.printf("ONNX Runtime Java vs PyTorch on the export fixture: max |diff| %.3g%n", maxDiff);
    assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
  }

  @Test
  void batchedScoringEqualsOneByOne() {
    Random rnd = new Random(11);
    List<ModelWindow> windows = new ArrayList<>();
    for (int i = 0; i < 13; i++) { // more than max batch 8: two runs, padded to different lengths
      windows.add(Fixtures.randomWindow(contract, rnd, rnd.nextInt(9), rnd.nextInt(11), rnd.nextInt(7)));
    }
    List<ScoreOutcome> batched = model.score(Fixtures.assembled(windows));
    for (int i = 0; i < windows.size(); i++) {
      Scored alone = (Scored) model.score(Fixtures.assembled(List.of(windows.get(i)))).get(0);
      Scored inBatch = (Scored) batched.get(i);
      assertThat(inBatch.probs()).containsExactly(alone.probs(), within(1e-5f));
      assertThat(inBatch.gates()).containsExactly(alone.gates(), within(1e-5f));
      assertThat(inBatch.model().id()).isEqualTo("mmstream-emotion-hybrid@" + Fixtures.V1);
    }
  }

  @Test
  void aModalityWithoutStepsIsMaskedNotZeroFilled() {
    Random rnd = new Random(3);
    ModelWindow noVideo = Fixtures.randomWindow(contract, rnd, 5, 6, 0);
    ModelWindow nothing = Fixtures.randomWindow(contract, rnd, 0, 0, 0);
    // One real all-zero video step would be a present modality; masked, video must have no say.
    ModelWindow zeroVideo = Fixtures.window(contract, noVideo.getText(), noVideo.getAudio(),
        new Matrix(1, 10, new ArrayList<>(java.util.Collections.nCopies(10, 0f))));

    List<ScoreOutcome> out = model.score(Fixtures.assembled(List.of(noVideo, nothing, zeroVideo)));

    Scored masked = (Scored) out.get(0);
    assertThat(masked.gates()[2]).isZero();
    assertThat(masked.gates()[0]).isPositive();
    for (float p : ((Scored) out.get(1)).probs()) {
      assertThat(p).isBetween(0f, 1f);
    }
    assertThat(((Scored) out.get(2)).gates()[2]).isPositive();
  }

  @Test
  void windowsWithOtherFeatureSpecsAreRejectedNamingTheModality() {
    Random rnd = new Random(5);
    ModelWindow good = Fixtures.randomWindow(contract, rnd, 3, 4, 2);
    ModelWindow other = Fixtures.randomWindow(contract, rnd, 3, 4, 2);
    var specs = new HashMap<>(contract.specIds());
    specs.put("video", "faceapi7+256/scene37@2");
    other.setSpecIds(specs);

    List<ScoreOutcome> out = model.score(Fixtures.assembled(List.of(good, other)));

    assertThat(out.get(0)).isInstanceOf(Scored.class);
    Rejected rejected = (Rejected) out.get(1);
    assertThat(rejected.reason()).isEqualTo(DeadLetterReason.SPEC_MISMATCH);
    assertThat(rejected.detail()).contains("video: model expects '" + contract.specFor("video")
        + "', window has 'faceapi7+256/scene37@2'").doesNotContain("text:");
  }

  @Test
  void aModalityWithoutStepsNeedsNoSpecIdButOneWithStepsDoes() {
    Random rnd = new Random(6);
    // the window assembler stamps no spec id for a modality with nothing in the window (as extract does)
    ModelWindow noText = Fixtures.randomWindow(contract, rnd, 0, 4, 2);
    var specs = new HashMap<>(contract.specIds());
    specs.remove("text");
    noText.setSpecIds(new HashMap<>(specs));
    ModelWindow unstampedText = Fixtures.randomWindow(contract, rnd, 3, 4, 2);
    unstampedText.setSpecIds(new HashMap<>(specs));

    List<ScoreOutcome> out = model.score(Fixtures.assembled(List.of(noText, unstampedText)));

    assertThat(out.get(0)).isInstanceOf(Scored.class);
    assertThat(((Rejected) out.get(1)).detail()).contains("text: model expects '" + contract.specFor("text")
        + "', window has 'null'");
  }

  @Test
  void malformedMatricesAreRejectedAsBadShape() {
    Random rnd = new Random(9);
    ModelWindow narrow = Fixtures.window(contract, Fixtures.random(rnd, 3, 15),
        Fixtures.random(rnd, 2, 7), Fixtures.random(rnd, 1, 10));
    ModelWindow tooLong = Fixtures.randomWindow(contract, rnd, 3, 11, 1);
    ModelWindow shortValues = Fixtures.randomWindow(contract, rnd, 3, 2, 1);
    shortValues.getVideo().setRows(2);
    ModelWindow nan = Fixtures.randomWindow(contract, rnd, 3, 2, 1);
    nan.getAudio().getValues().set(8, Float.NaN);

    List<ScoreOutcome> out = model.score(Fixtures.assembled(List.of(narrow, tooLong, nan)));

    assertThat(out).allSatisfy(o -> assertThat(((Rejected) o).reason()).isEqualTo(DeadLetterReason.BAD_SHAPE));
    assertThat(((Rejected) out.get(0)).detail()).contains("text matrix is 3x15 but the model expects 16 columns");
    assertThat(((Rejected) out.get(1)).detail()).contains("audio has 11 steps, more than the model's max 10");
    assertThat(((Rejected) out.get(2)).detail()).contains("audio value at step 1, column 1 is NaN");
    assertThatThrownBy(() -> AssembledWindow.of(shortValues)).as("a window's rows never disagree with its values")
        .isInstanceOf(MalformedFeaturesException.class).hasMessageContaining("a 2x10 block holds 10 values");
  }

  @Test
  void severalThreadsScoringAtOnceGetTheSequentialResults() throws Exception {
    Random rnd = new Random(21);
    List<ModelWindow> windows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      windows.add(Fixtures.randomWindow(contract, rnd, 1 + rnd.nextInt(8), 1 + rnd.nextInt(10), rnd.nextInt(7)));
    }
    List<ScoreOutcome> expected = model.score(Fixtures.assembled(windows));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<ScoreOutcome>>> runs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        runs.add(pool.submit(() -> model.score(Fixtures.assembled(windows))));
      }
      for (Future<List<ScoreOutcome>> run : runs) {
        List<ScoreOutcome> got = run.get();
        for (int i = 0; i < windows.size(); i++) {
          assertThat(((Scored) got.get(i)).probs()).containsExactly(((Scored) expected.get(i)).probs(), within(1e-6f));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cudaOnACpuOnlyBuildFailsClearly() {
    assertThatThrownBy(() -> OnnxFusionModel.load(Fixtures.model(Fixtures.EMOTION_V1),
        new InferenceSettings(Device.CUDA, 1, 4)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--device cuda: CUDA execution provider unavailable")
        .hasMessageContaining("-Pgpu");
  }

  @Test
  void autoFallsBackToTheCpuAndSaysWhy() {
    try (OnnxFusionModel auto = OnnxFusionModel.load(Fixtures.model(Fixtures.EMOTION_V1),
        new InferenceSettings(Device.AUTO, 1, 4))) {
      assertThat(auto.device()).isEqualTo(Device.CPU);
      assertThat(auto.deviceReason()).startsWith("--device auto: CUDA execution provider unavailable");
      assertThat(auto.score(Fixtures.assembled(List.of(Fixtures.randomWindow(auto.contract(), new Random(1), 2, 2, 2)))))
          .singleElement().isInstanceOf(Scored.class);
    }
  }
}
