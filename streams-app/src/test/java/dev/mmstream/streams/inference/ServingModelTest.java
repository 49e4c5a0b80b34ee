package dev.mmstream.streams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.streams.inference.ScoreOutcome.Scored;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServingModelTest {
  @Test
  void aRetiredModelServesTheRunInFlightAndClosesAfterIt() {
    ServingModel serving = new ServingModel(OnnxFusionModel.load(Fixtures.model(Fixtures.EMOTION_V1), Fixtures.CPU));
    ModelWindow w = Fixtures.randomWindow(serving.model().contract(), new Random(8), 2, 3, 1);
    assertThat(serving.acquire()).isTrue();

    serving.retire();

    assertThat(serving.acquire()).as("no new runs after retire").isFalse();
    assertThat(serving.model().score(Fixtures.assembled(List.of(w)))).singleElement().isInstanceOf(Scored.class);
    serving.release();
    assertThatThrownBy(() -> serving.model().run(Fixtures.assembled(List.of(w)))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anIdleModelClosesWhenRetired() {
    ServingModel serving = new ServingModel(OnnxFusionModel.load(Fixtures.model(Fixtures.EMOTION_V1), Fixtures.CPU));
    ModelWindow w = Fixtures.randomWindow(serving.model().contract(), new Random(8), 2, 3, 1);
    serving.retire();
    assertThatThrownBy(() -> serving.model().run(Fixtures.assembled(List.of(w)))).isInstanceOf(IllegalStateException.class);
  }
}
