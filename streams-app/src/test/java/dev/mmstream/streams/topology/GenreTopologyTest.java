package dev.mmstream.streams.topology;

import static dev.mmstream.streams.topology.TopologyHarness.encode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trailers: one window from START to END, subsampled to the genre window's lengths, on the genre topic. */
class GenreTopologyTest {
  private static final long ORIGIN = TopologyHarness.ORIGIN;
  private static final Topics TOPICS = TopologyHarness.TOPICS;

  private final SampleRecords samples = new SampleRecords(11);
  private TopologyHarness harness;

  private void start(boolean servesGenre, AlignmentConfig config) {
    harness = new TopologyHarness("mm-genre-test", config, new FakeScorer(servesGenre), new AlignerMetrics());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aTrailerGetsOnePredictionAtEndCoveringItWholeSubsampledToTheWindowLengths() {
    start(true, AlignmentConfig.defaults().withBatchWait(Duration.ZERO));
    event("t1", StreamEventType.START, 0);
    feed("t1", 90_000); // 450 frames (5 fps), 90 one-second audio chunks, a caption cue every 2 s
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.genre.readValuesToList()).as("nothing before END: a trailer is judged whole").isEmpty();

    event("t1", StreamEventType.END, 90_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(harness.genre.readValuesToList()).singleElement().satisfies(p -> {
      assertThat(p.getTask()).isEqualTo(Task.GENRE);
      assertThat(p.getWindowStartMs()).isEqualTo(ORIGIN);
      assertThat(p.getWindowEndMs()).isEqualTo(ORIGIN + 90_000);
      assertThat(p.getModalitiesPresent()).containsExactly(Modality.TEXT, Modality.AUDIO, Modality.VIDEO);
      assertThat(p.getLabels().get(0).getScore()).as("450 frames subsampled to the window's 64").isEqualTo(0.064f);
      assertThat(p.getLabels().get(1).getScore()).as("90 audio steps of 1 s, within the window's 120").isEqualTo(0.090f);
      assertThat(p.getModelName()).isEqualTo("fake-genre");
    });
    assertThat(harness.emotion.readValuesToList()).as("a genre stream makes no emotion windows").isEmpty();
  }

  @Test
  void aTrailerLongerThanTheMaximumIsJudgedOnItsFirstPart() {
    start(true, withGenreMax(Duration.ofSeconds(30)));
    event("t2", StreamEventType.START, 0);
    feed("t2", 60_000);
    event("t2", StreamEventType.END, 60_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(harness.genre.readValuesToList()).singleElement().satisfies(p -> {
      assertThat(p.getWindowEndMs() - p.getWindowStartMs()).isEqualTo(30_000);
      assertThat(p.getLabels().get(1).getScore()).as("30 audio steps").isEqualTo(0.030f);
    });
  }

  @Test
  void aTrailerThatGoesSilentWithoutEndIsClosedByTheWallClock() {
    start(true, AlignmentConfig.defaults().withBatchWait(Duration.ZERO));
    event("t3", StreamEventType.START, 0);
    feed("t3", 20_000);
    harness.driver.advanceWallClockTime(AlignmentConfig.defaults().idleTimeout().plusSeconds(1));
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(harness.genre.readValuesToList()).singleElement()
        .satisfies(p -> assertThat(p.getWindowEndMs() - p.getWindowStartMs()).isBetween(19_000L, 20_000L));
  }

  @Test
  void withoutAGenreModelTheTrailerIsDeadLetteredWithTheFix() {
    start(false, AlignmentConfig.defaults().withBatchWait(Duration.ZERO));
    event("t4", StreamEventType.START, 0);
    feed("t4", 10_000);
    event("t4", StreamEventType.END, 10_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(harness.genre.readValuesToList()).isEmpty();
    assertThat(harness.deadLetters.readValuesToList()).singleElement()
        .satisfies(d -> assertThat(d.getDetail()).contains("no model serves task GENRE").contains("models directory"));
  }

  private void event(String id, StreamEventType type, long mediaMs) {
    var event = StreamEvent.newBuilder().setStreamId(id).setType(type).setTask(Task.GENRE).setOriginMs(ORIGIN)
        .setMetadata(Map.of("title", "A Storm Over Harbour Town"));
    if (type == StreamEventType.END) {
      event.setMediaEndMs(mediaMs);
    }
    harness.events.pipeInput(id, encode(event.build()), ORIGIN + mediaMs);
  }

  /** Frames every 200 ms, 1 s audio chunks and a caption cue every 2 s over [0, toMs). */
  private void feed(String id, long toMs) {
    for (long t = 0; t < toMs; t += 200) {
      if (t % 1000 == 0) {
        harness.audio.pipeInput(id, encode(samples.audio(id, (int) (t / 1000))), ORIGIN + t);
      }
      if (t % 2000 == 0) {
        harness.tokens.pipeInput(id, encode(samples.tokens(id, (int) (t / 2000))), ORIGIN + t);
      }
      harness.frames.pipeInput(id, encode(samples.frame(id, (int) (t / 200))), ORIGIN + t);
    }
  }

  private static AlignmentConfig withGenreMax(Duration max) {
    var d = AlignmentConfig.defaults();
    return new AlignmentConfig(d.windowSize(), d.advance(), d.grace(), d.idleTimeout(), d.startTimeout(), max,
        d.scoringInterval(), d.maxBatch(), Duration.ZERO);
  }



}
