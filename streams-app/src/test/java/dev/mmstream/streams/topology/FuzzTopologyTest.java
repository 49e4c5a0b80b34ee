package dev.mmstream.streams.topology;

import static dev.mmstream.streams.topology.TopologyHarness.encode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;

/**
 * Seeded garbage on every input topic, 1,000 records per topic and kind, interleaved with three good live
 * streams: the app keeps running, every record it cannot decode is dead-lettered with its topic, and the good
 * streams' predictions are exactly those of a run without the garbage.
 */
class FuzzTopologyTest {
  private static final long ORIGIN = TopologyHarness.ORIGIN;
  private static final int PER_KIND = 1_000;
  private static final List<String> GOOD = List.of("good-1", "good-2", "good-3");

  @Test
  void garbageOnEveryTopicChangesNothingForTheGoodStreams() {
    List<String> clean = run(false).predictions;
    Outcome dirty = run(true);

    assertThat(clean).hasSizeGreaterThan(3 * 10);
    assertThat(dirty.predictions).as("the good streams' predictions, with and without the garbage").isEqualTo(clean);
    for (String topic : List.of("events", "frames", "audio", "tokens")) {
      assertThat(dirty.undecodableDeadLetters.getOrDefault(topic, 0))
          .as("every undecodable record on " + topic + " is dead-lettered, once")
          .isEqualTo(dirty.undecodableSent.getOrDefault(topic, 0));
    }
    assertThat(dirty.deadLettersByReason).containsKeys(DeadLetterReason.UNDECODABLE, DeadLetterReason.UNKNOWN_SCHEMA,
        DeadLetterReason.BAD_SHAPE, DeadLetterReason.MISSING_KEY, DeadLetterReason.MISSING_START);
  }

  private record Outcome(List<String> predictions, Map<String, Integer> undecodableSent,
      Map<String, Integer> undecodableDeadLetters, Map<DeadLetterReason, Integer> deadLettersByReason) {}

  private static Outcome run(boolean garbage) {
    var samples = new SampleRecords(3);
    var random = new Random(20261207);
    Map<String, Integer> undecodableSent = new java.util.HashMap<>();
    try (var h = new TopologyHarness("fuzz", AlignmentConfig.defaults().withBatchWait(Duration.ZERO), new FakeScorer(),
        new AlignerMetrics())) {
      // in a fixed order: the garbage is the same on every run of the seed
      Map<String, TestInputTopic<String, byte[]>> topics = new java.util.LinkedHashMap<>();
      topics.put("events", h.events);
      topics.put("frames", h.frames);
      topics.put("audio", h.audio);
      topics.put("tokens", h.tokens);
      for (String id : GOOD) {
        h.events.pipeInput(id, encode(StreamEvent.newBuilder().setStreamId(id).setType(StreamEventType.START)
            .setTask(Task.EMOTION).setOriginMs(ORIGIN).setMetadata(Map.of()).build()), ORIGIN);
      }
      // 12 s of each good stream, in media-time steps of 200 ms; the garbage goes in between
      List<Garbage.Kind> kinds = Arrays.asList(Garbage.Kind.values());
      int steps = 60;
      for (int step = 0; step < steps; step++) {
        long t = step * 200L;
        for (String id : GOOD) {
          if (t % 1000 == 0) {
            h.audio.pipeInput(id, encode(samples.audio(id, (int) (t / 1000))), ORIGIN + t);
          }
          h.frames.pipeInput(id, encode(samples.frame(id, step)), ORIGIN + t);
          if (t % 2000 == 0) {
            h.tokens.pipeInput(id, encode(samples.tokens(id, (int) (t / 2000))), ORIGIN + t);
          }
        }
        if (garbage) {
          for (var topic : topics.entrySet()) {
            for (Garbage.Kind kind : kinds) {
              int n = PER_KIND / steps + (step < PER_KIND % steps ? 1 : 0);
              for (int i = 0; i < n; i++) {
                Garbage.Junk junk = Garbage.junk(kind, topic.getKey(), random, samples, step * 100 + i);
                topic.getValue().pipeInput(junk.key(), junk.value(), ORIGIN + Math.floorMod(junk.timeMs(), 86_400_000L));
                if (junk.undecodable() && junk.key() != null && !junk.key().isEmpty() && junk.key().indexOf('\0') < 0) {
                  undecodableSent.merge(topic.getKey(), 1, Integer::sum);
                }
              }
            }
          }
        }
        h.driver.advanceWallClockTime(Duration.ofMillis(5));
      }
      for (String id : GOOD) {
        h.events.pipeInput(id, encode(StreamEvent.newBuilder().setStreamId(id).setType(StreamEventType.END)
            .setTask(Task.EMOTION).setOriginMs(ORIGIN).setMediaEndMs((long) steps * 200).build()), ORIGIN + steps * 200L);
      }
      h.driver.advanceWallClockTime(Duration.ofSeconds(1));
      // streams that never sent START are given up on after the start timeout (60 s of wall clock)
      h.driver.advanceWallClockTime(Duration.ofSeconds(61));

      List<String> predictions = new ArrayList<>();
      for (Prediction p : h.emotion.readValuesToList()) {
        if (GOOD.contains(p.getStreamId())) {
          predictions.add(p.getStreamId() + " " + (p.getWindowStartMs() - ORIGIN) + " " + p.getLabels());
        }
      }
      Collections.sort(predictions);
      Map<String, Integer> undecodableDead = new java.util.HashMap<>();
      Map<DeadLetterReason, Integer> byReason = new EnumMap<>(DeadLetterReason.class);
      Map<String, String> names = Map.of(TopologyHarness.TOPICS.streamEvents().name(), "events",
          TopologyHarness.TOPICS.videoFrames().name(), "frames", TopologyHarness.TOPICS.audioLogMel().name(), "audio",
          TopologyHarness.TOPICS.textTokens().name(), "tokens");
      for (DeadLetter d : h.deadLetters.readValuesToList()) {
        byReason.merge(d.getReason(), 1, Integer::sum);
        if ((d.getReason() == DeadLetterReason.UNDECODABLE || d.getReason() == DeadLetterReason.UNKNOWN_SCHEMA)
            && d.getSourceTopic() != null) {
          undecodableDead.merge(names.get(d.getSourceTopic()), 1, Integer::sum);
        }
      }
      return new Outcome(predictions, undecodableSent, undecodableDead, byReason);
    }
  }
}
