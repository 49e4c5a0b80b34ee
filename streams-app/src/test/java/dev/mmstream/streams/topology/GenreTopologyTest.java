package dev.mmstream.streams.topology;

import static dev.mmstream.streams.topology.TopologyHarness.encode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.CatalogueFeatures;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trailers: one window from START to END, subsampled to the genre window's lengths, on the genre topic. */
class GenreTopologyTest {
  private static final long ORIGIN = TopologyHarness.ORIGIN;
  private static final Topics TOPICS = TopologyHarness.TOPICS;

  private final SampleRecords samples = new SampleRecords(11);
  private TopologyHarness harness;

  private FakeScorer scorer;

  private void start(boolean servesGenre, AlignmentConfig config) {
    scorer = new FakeScorer(servesGenre);
    harness = new TopologyHarness("mm-genre-test", config, scorer, new AlignerMetrics());
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
  void theSameIdStartedAgainWithANewOriginIsANewTrailerNotLateRecords() {
    start(true, AlignmentConfig.defaults().withBatchWait(Duration.ZERO));
    event("t5", StreamEventType.START, 0);
    feed("t5", 10_000);
    event("t5", StreamEventType.END, 10_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    long later = 60_000; // the file was replaced: ingested again a minute later, 20 s long this time
    event("t5", StreamEventType.START, 0, ORIGIN + later);
    feed("t5", 20_000, ORIGIN + later);
    event("t5", StreamEventType.END, 20_000, ORIGIN + later);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(harness.genre.readValuesToList()).hasSize(2).satisfiesExactly(
        first -> assertThat(first.getWindowEndMs()).isEqualTo(ORIGIN + 10_000),
        second -> {
          assertThat(second.getWindowStartMs()).isEqualTo(ORIGIN + later);
          assertThat(second.getWindowEndMs()).isEqualTo(ORIGIN + later + 20_000);
          assertThat(second.getLabels().get(1).getScore()).as("the second file's 20 audio steps").isEqualTo(0.020f);
        });
    assertThat(harness.deadLetters.readValuesToList()).as("no record of the second file is late").isEmpty();

    event("t5", StreamEventType.START, 0, ORIGIN + later); // the same START again: the same stream, still ended
    feed("t5", 1_000, ORIGIN + later);
    assertThat(harness.deadLetters.readValuesToList()).isNotEmpty()
        .allSatisfy(d -> assertThat(d.getDetail()).contains("has ended"));
  }

  @Test
  void anEndedStreamIsForgottenAfterItsRetentionSoTheStoreHoldsOnlyRecentStreams() {
    start(true, AlignmentConfig.defaults().withBatchWait(Duration.ZERO));
    var store = harness.driver.<String, Object>getKeyValueStore(Names.SESSIONS_STORE);
    event("t6", StreamEventType.START, 0);
    feed("t6", 10_000);
    event("t6", StreamEventType.END, 10_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.genre.readValuesToList()).hasSize(1);
    assertThat(store.get("t6")).as("kept a while: stragglers are late records of an ended stream").isNotNull();

    feed("t6", 1_000);
    assertThat(harness.deadLetters.readValuesToList()).isNotEmpty().allSatisfy(d -> assertThat(d.getDetail()).contains("has ended"));

    harness.driver.advanceWallClockTime(StreamAligner.ENDED_RETENTION.plusSeconds(1));
    assertThat(store.get("t6")).as("forgotten after the retention").isNull();
  }

  @Test
  void thePosterAndMetadataFromStartReachTheTrailersWindowAndANewStartReplacesThem() {
    start(true, AlignmentConfig.defaults().withBatchWait(Duration.ZERO));
    var catalogue = CatalogueFeatures.newBuilder().setPoster(List.of(0.5f, -1f, 2f)).setMetadata(List.of(1.4f, 1f))
        .setSpecIds(Map.of("poster", "poster@v1", "metadata", "metadata@v1")).build();
    harness.events.pipeInput("t7", encode(StreamEvent.newBuilder().setStreamId("t7").setType(StreamEventType.START)
        .setTask(Task.GENRE).setOriginMs(ORIGIN).setMetadata(Map.of()).setCatalogue(catalogue).build()), ORIGIN);
    feed("t7", 10_000);
    event("t7", StreamEventType.END, 10_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(harness.deadLetters.readValuesToList()).isEmpty();
    assertThat(harness.genre.readValuesToList()).hasSize(1);
    assertThat(scorer.scored).singleElement().satisfies(w -> {
      assertThat(w.catalogue().poster()).containsExactly(0.5f, -1f, 2f);
      assertThat(w.catalogue().metadata()).containsExactly(1.4f, 1f);
      assertThat(w.catalogue().specIds()).containsEntry("poster", "poster@v1").containsEntry("metadata", "metadata@v1");
    });

    event("t7", StreamEventType.START, 0, ORIGIN + 60_000); // replaced by a trailer without a catalogue entry
    feed("t7", 10_000, ORIGIN + 60_000);
    event("t7", StreamEventType.END, 10_000, ORIGIN + 60_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(scorer.scored).hasSize(2).last().satisfies(w -> assertThat(w.catalogue().isEmpty()).isTrue());
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
    event(id, type, mediaMs, ORIGIN);
  }

  private void event(String id, StreamEventType type, long mediaMs, long origin) {
    var event = StreamEvent.newBuilder().setStreamId(id).setType(type).setTask(Task.GENRE).setOriginMs(origin)
        .setMetadata(Map.of("title", "A Storm Over Harbour Town"));
    if (type == StreamEventType.END) {
      event.setMediaEndMs(mediaMs);
    }
    harness.events.pipeInput(id, encode(event.build()), origin + mediaMs);
  }

  private void feed(String id, long toMs) {
    feed(id, toMs, ORIGIN);
  }

  /** Frames every 200 ms, 1 s audio chunks and a caption cue every 2 s over [0, toMs). */
  private void feed(String id, long toMs, long origin) {
    for (long t = 0; t < toMs; t += 200) {
      if (t % 1000 == 0) {
        harness.audio.pipeInput(id, encode(samples.audio(id, (int) (t / 1000))), origin + t);
      }
      if (t % 2000 == 0) {
        harness.tokens.pipeInput(id, encode(samples.tokens(id, (int) (t / 2000))), origin + t);
      }
      harness.frames.pipeInput(id, encode(samples.frame(id, (int) (t / 200))), origin + t);
    }
  }

  private static AlignmentConfig withGenreMax(Duration max) {
    var d = AlignmentConfig.defaults();
    return new AlignmentConfig(d.windowSize(), d.advance(), d.grace(), d.idleTimeout(), d.startTimeout(), max,
        d.scoringInterval(), d.maxBatch(), Duration.ZERO);
  }



}
