package dev.mmstream.streams.topology;

import static dev.mmstream.streams.topology.TopologyHarness.encode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.TokenFeatures;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.deadletter.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MmTopologyTest {
  private static final long ORIGIN = TopologyHarness.ORIGIN;
  private static final Topics TOPICS = TopologyHarness.TOPICS;

  private final SampleRecords samples = new SampleRecords(5);
  private final FakeScorer scorer = new FakeScorer();
  private final AlignerMetrics metrics = new AlignerMetrics();
  private TopologyHarness harness;

  @BeforeEach
  void start() {
    // scored at the next punctuation: these tests are about what is scored; batching has its own test below
    harness = new TopologyHarness("mm-test", AlignmentConfig.defaults().withBatchWait(Duration.ZERO), scorer, metrics);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void emitsOnePredictionPerWindowOnceAudioAndVideoPassItsEndPlusGrace() {
    start("s1");
    feed("s1", 0, 6_000); // frames and audio up to 6 s
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    // windows [0,4) and [1,5) have audio and video past end + 500 ms; [2,6) needs 6.5 s
    List<Prediction> out = harness.emotion.readValuesToList();
    assertThat(out).extracting(p -> p.getWindowStartMs() - ORIGIN).containsExactly(0L, 1000L);
    assertThat(out).allSatisfy(p -> assertThat(p.getWindowEndMs() - p.getWindowStartMs()).isEqualTo(4000));
    Prediction first = out.get(0);
    assertThat(first.getModalitiesPresent()).containsExactly(Modality.AUDIO, Modality.VIDEO);
    assertThat(first.getLabels().get(0).getScore()).as("20 frames at 5 fps in 4 s reached the model").isEqualTo(0.20f);
    assertThat(first.getLabels().get(1).getScore()).as("40 pooled audio steps").isEqualTo(0.40f);
    assertThat(first.getGates()).containsEntry("video", 0.5f);
    assertThat(first.getModelVersion()).isEqualTo("7");
    assertThat(scorer.batchSizes).as("windows closed together are scored in one batch").containsExactly(2);
  }

  @Test
  void aMissingModalityIsMaskedAndReported() {
    start("s1");
    for (int i = 0; i < 40; i++) {
      harness.frames.pipeInput("s1", encode(samples.frame("s1", i)), ORIGIN + i * 200L);
    }
    end("s1", 8_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    List<Prediction> out = harness.emotion.readValuesToList();
    assertThat(out).hasSize(8);
    assertThat(out).allSatisfy(p -> assertThat(p.getModalitiesPresent()).containsExactly(Modality.VIDEO));
  }

  @Test
  void endFlushesEveryWindowAtOnce() {
    start("s1");
    feed("s1", 0, 3_000);
    end("s1", 3_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.emotion.readValuesToList()).extracting(p -> p.getWindowStartMs() - ORIGIN).containsExactly(0L, 1000L, 2000L);
  }

  @Test
  void anEndThatOvertakesTheLastRecordsWaitsForThem() {
    start("inorder");
    feed("inorder", 0, 6_000);
    end("inorder", 6_000);
    start("s1");
    feed("s1", 0, 3_000);
    end("s1", 6_000);  // processed before the frames and chunks up to 6 s, which come on other topics
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    List<Prediction> inOrder = harness.emotion.readValuesToList();
    assertThat(inOrder).hasSize(6).allSatisfy(p -> assertThat(p.getStreamId()).isEqualTo("inorder"));

    feed("s1", 3_000, 6_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    List<Prediction> out = new ArrayList<>(harness.emotion.readValuesToList());
    assertThat(out).as("windows the data has passed close as always; the last ones wait, as nothing says which record"
        + " is the last").extracting(p -> p.getWindowStartMs() - ORIGIN).containsExactly(0L, 1000L);
    harness.driver.advanceWallClockTime(AlignmentConfig.defaults().idleTimeout().plusSeconds(1));
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    out.addAll(harness.emotion.readValuesToList());
    assertThat(out).extracting(p -> p.getWindowStartMs() - ORIGIN).containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 5000L);
    assertThat(out).extracting(Prediction::getLabels).as("the same scores as the stream whose END came last")
        .isEqualTo(inOrder.stream().map(Prediction::getLabels).toList());
    assertThat(harness.deadLetters.readValuesToList()).as("no record of the stream was late").isEmpty();
  }

  @Test
  void anEndTheDataNeverReachesClosesAfterTheIdleTimeout() {
    start("s1");
    feed("s1", 0, 3_000);
    end("s1", 5_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.emotion.readValuesToList()).isEmpty();

    harness.driver.advanceWallClockTime(AlignmentConfig.defaults().idleTimeout().plusSeconds(1));
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.emotion.readValuesToList()).extracting(p -> p.getWindowStartMs() - ORIGIN)
        .containsExactly(0L, 1000L, 2000L, 3000L, 4000L);
  }

  @Test
  void aSilentStreamIsClosedByTheWallClock() {
    start("s1");
    feed("s1", 0, 3_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.emotion.readValuesToList()).isEmpty();

    harness.driver.advanceWallClockTime(AlignmentConfig.defaults().idleTimeout().plusSeconds(1));
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.emotion.readValuesToList()).extracting(p -> p.getWindowStartMs() - ORIGIN).containsExactly(0L, 1000L, 2000L);
  }

  @Test
  void lateRecordsAreCountedAndDeadLetteredNotMerged() {
    start("s1");
    feed("s1", 0, 6_000);
    harness.frames.pipeInput("s1", encode(samples.frame("s1", 2)), ORIGIN + 400); // pts 400 ms: windows up to 2 s are closed
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    var dead = harness.deadLetters.readValuesToList();
    assertThat(dead).singleElement().satisfies(d -> {
      assertThat(d.getReason()).isEqualTo(DeadLetterReason.LATE_RECORD);
      assertThat(d.getSourceTopic()).isEqualTo(TOPICS.videoFrames().name());
      assertThat(d.getOriginalValue()).isNotNull();
    });
    assertThat(metrics.lateRecords()).isEqualTo(1);
  }

  @Test
  void aCorruptTimestampFarAheadIsDeadLetteredInsteadOfClosingEveryWindowUpToIt() {
    start("s1");
    feed("s1", 0, 6_000);
    FrameFeatures corrupt = samples.frame("s1", 31);
    corrupt.setPtsMs(Long.MAX_VALUE / 4);
    harness.frames.pipeInput("s1", encode(corrupt), ORIGIN + 6_000);
    feed("s1", 6_000, 8_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(harness.deadLetters.readValuesToList()).singleElement().satisfies(d -> {
      assertThat(d.getReason()).isEqualTo(DeadLetterReason.BAD_SHAPE);
      assertThat(d.getDetail()).contains("more than 10 min ahead of the stream").contains("a corrupt timestamp");
    });
    assertThat(harness.emotion.readValuesToList()).extracting(p -> p.getWindowStartMs() - ORIGIN)
        .as("the stream went on as if the record had not come").containsExactly(0L, 1000L, 2000L, 3000L);
  }

  @Test
  void aStartWithoutAWallClockOriginIsDeadLetteredNotAPoisonPill() {
    harness.events.pipeInput("s1", encode(StreamEvent.newBuilder().setStreamId("s1").setType(StreamEventType.START)
        .setTask(Task.EMOTION).setOriginMs(-5).setMetadata(Map.of()).build()), ORIGIN);

    assertThat(harness.deadLetters.readValuesToList()).singleElement().satisfies(d -> {
      assertThat(d.getReason()).isEqualTo(DeadLetterReason.BAD_SHAPE);
      assertThat(d.getDetail()).contains("origin_ms -5: not a wall-clock time");
    });
    start("s1");
    feed("s1", 0, 6_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.emotion.readValuesToList()).hasSize(2);
  }

  @Test
  void undecodableBytesGoToDeadLettersWithTheirOffsetAndTheAppKeepsGoing() {
    start("s1");
    byte[] garbage = {(byte) 0xC3, 1, 9, 9, 9, 9, 9, 9, 9, 9, 42};
    harness.frames.pipeInput("s1", garbage, ORIGIN);
    feed("s1", 0, 6_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(harness.deadLetters.readValuesToList()).singleElement().satisfies(d -> {
      assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
      assertThat(d.getSourceOffset()).isZero();
      assertThat(d.getOriginalValue().array()).isEqualTo(garbage);
      assertThat(d.getDetail()).contains(TOPICS.videoFrames().name());
    });
    assertThat(harness.emotion.readValuesToList()).hasSize(2);
  }

  @Test
  void recordsWithAnotherSpecThanTheModelsAreDeadLettered() {
    start("s1");
    FrameFeatures frame = samples.frame("s1", 0);
    frame.setSpecId("video.other@v9");
    harness.frames.pipeInput("s1", encode(frame), ORIGIN);
    assertThat(harness.deadLetters.readValuesToList()).singleElement().satisfies(d -> {
      assertThat(d.getReason()).isEqualTo(DeadLetterReason.SPEC_MISMATCH);
      assertThat(d.getDetail()).contains("video.other@v9").contains("video.test@v1");
    });
  }

  @Test
  void tokensReachEveryWindowTheirTimesFallIn() {
    start("s1");
    TokenFeatures cue = samples.tokens("s1", 1); // cue 2000..3500 ms, tokens at 2000..3200
    harness.tokens.pipeInput("s1", encode(cue), ORIGIN + 2000);
    feed("s1", 0, 5_000);
    end("s1", 5_000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    var out = harness.emotion.readValuesToList();
    assertThat(out).filteredOn(p -> p.getModalitiesPresent().contains(Modality.TEXT))
        .extracting(p -> p.getWindowStartMs() - ORIGIN).containsExactly(0L, 1000L, 2000L, 3000L);
  }

  @Test
  void aTranscriptOnlyStreamClosesItsWindowsOnItsCuesProgress() {
    harness.events.pipeInput("t1", encode(StreamEvent.newBuilder().setStreamId("t1").setType(StreamEventType.START)
        .setTask(Task.EMOTION).setOriginMs(ORIGIN).setMetadata(Map.of()).setModalities(List.of(Modality.TEXT)).build()), ORIGIN);
    for (int i = 0; i < 4; i++) { // cues at 0, 2, 4, 6 s, each 1.5 s long
      harness.tokens.pipeInput("t1", encode(samples.tokens("t1", i)), ORIGIN + i * 2000L);
    }
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));

    // text has reached 7.5 s: windows ending by 7 s ([0,4) .. [3,7)) are closed, without audio or video
    var out = harness.emotion.readValuesToList();
    assertThat(out).extracting(p -> p.getWindowStartMs() - ORIGIN).containsExactly(0L, 1000L, 2000L, 3000L);
    assertThat(out).allSatisfy(p -> assertThat(p.getModalitiesPresent()).containsExactly(Modality.TEXT));

    start("s2"); // undeclared: its cues alone never close a window, since its audio and video may still come
    harness.tokens.pipeInput("s2", encode(samples.tokens("s2", 3)), ORIGIN + 6000);
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.emotion.readValuesToList()).isEmpty();
  }

  @Test
  void windowsOfManyStreamsClosingTogetherWaitForOneBatchButNoLongerThanTheBatchWait() {
    harness.close();
    harness = new TopologyHarness("mm-batch", AlignmentConfig.defaults(), scorer, metrics); // 50 ms batch wait
    for (String id : List.of("a", "b", "c")) {
      start(id);
      feed(id, 0, 5_000); // each closes [0,4) once its audio passes 4.5 s
    }
    harness.driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(harness.emotion.readValuesToList()).as("still within the batch wait").isEmpty();

    harness.driver.advanceWallClockTime(Duration.ofMillis(40));
    assertThat(harness.emotion.readValuesToList()).extracting(Prediction::getStreamId).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(scorer.batchSizes).containsExactly(3);
  }

  @Test
  void describeShowsThePipelineStageByStage() {
    var description = new MmTopology(TOPICS, AlignmentConfig.defaults(), scorer, new DeadLetters("t"), metrics).build().describe();
    assertThat(description.toString()).doesNotContain("KSTREAM-");
    Map<String, TopologyDescription.Node> nodes = new TreeMap<>();
    description.subtopologies().forEach(sub -> sub.nodes().forEach(n -> nodes.put(n.name(), n)));
    for (String decode : List.of(Names.DECODE_EVENTS, Names.DECODE_FRAMES, Names.DECODE_AUDIO, Names.DECODE_TOKENS)) {
      assertThat(successors(nodes.get(decode))).as(decode).containsExactlyInAnyOrder(Names.ALIGN, Names.ROUTE);
    }
    assertThat(successors(nodes.get(Names.SOURCE_AUDIO))).containsExactly(Names.DECODE_AUDIO);
    assertThat(successors(nodes.get(Names.ALIGN))).containsExactlyInAnyOrder(Names.SCORE, Names.ROUTE);
    assertThat(stores(nodes.get(Names.ALIGN))).containsExactlyInAnyOrder(Names.SESSIONS_STORE, Names.BUFFER_STORE);
    assertThat(successors(nodes.get(Names.SCORE))).containsExactly(Names.ROUTE);
    assertThat(stores(nodes.get(Names.SCORE))).containsExactly(Names.READY_STORE);
    assertThat(successors(nodes.get(Names.ROUTE)))
        .containsExactlyInAnyOrder(Names.EMOTION_PREDICTIONS, Names.GENRE_PREDICTIONS, Names.DEAD_LETTERS);
    assertThat(nodes).as("read 4, decode 4, align, score, route, write 3").hasSize(14);
  }

  private static List<String> successors(TopologyDescription.Node node) {
    return node.successors().stream().map(TopologyDescription.Node::name).toList();
  }

  private static Set<String> stores(TopologyDescription.Node node) {
    return ((TopologyDescription.Processor) node).stores();
  }

  private void start(String id) {
    harness.events.pipeInput(id, encode(StreamEvent.newBuilder().setStreamId(id).setType(StreamEventType.START)
        .setTask(Task.EMOTION).setOriginMs(ORIGIN).setMetadata(Map.of()).build()), ORIGIN);
  }

  private void end(String id, long mediaEndMs) {
    harness.events.pipeInput(id, encode(StreamEvent.newBuilder().setStreamId(id).setType(StreamEventType.END)
        .setTask(Task.EMOTION).setOriginMs(ORIGIN).setMediaEndMs(mediaEndMs).build()), ORIGIN + mediaEndMs);
  }

  /** Frames every 200 ms and 1 s audio chunks covering [fromMs, toMs). */
  private void feed(String id, long fromMs, long toMs) {
    for (long t = fromMs; t < toMs; t += 200) {
      if (t % 1000 == 0) {
        AudioFeatures chunk = samples.audio(id, (int) (t / 1000));
        harness.audio.pipeInput(id, encode(chunk), ORIGIN + t);
      }
      harness.frames.pipeInput(id, encode(samples.frame(id, (int) (t / 200))), ORIGIN + t);
    }
  }


}
