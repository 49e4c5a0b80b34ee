package dev.mmstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.LabelScore;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.config.StreamsAppConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelRegistry;
import dev.mmstream.streams.topology.StreamsApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving equals offline: a real clip ingested live into a real broker and scored by the running
 * streams app gives, window for window, what extract's windows scored by ONNX Runtime give; and the
 * same clip ingested at real-time pace and as fast as possible gives the same predictions.
 */
class LiveParityIT {
  private static final Topics TOPICS = Topics.defaults();
  private static final String FAST = "clip-fast";
  private static final String REALTIME = "clip-realtime";

  @TempDir static Path dir;
  private static KraftBroker broker;
  private static ModelRegistry models;
  private static StreamsApp app;
  private static OfflineReference offline;
  private static Map<String, Long> origins;
  private static Map<String, List<Prediction>> live;

  @BeforeAll
  static void ingestTheClipLiveTwice() throws Exception {
    broker = KraftBroker.start(BrokerConfig.ephemeral(dir.resolve("broker"), 2));
    TopicProvisioner.ensureTopics(broker.bootstrapServers(), TOPICS, 2);
    SpeechClip clip = SpeechClip.make(dir);
    offline = OfflineReference.of(clip, LiveModel.file());

    models = ModelRegistry.open(LiveModel.dir(), new InferenceSettings(Device.CPU, 1, 64), ModelRegistry.DEFAULT_POLL);
    app = StreamsApp.start(new StreamsAppConfig(broker.bootstrapServers(), "parity-it", TOPICS, dir.resolve("state"), 1,
        AlignmentConfig.defaults(), 0), models);

    long fastOrigin = StreamRequest.originNow();
    LiveIngest.run(broker.bootstrapServers(), TOPICS, clip, FAST, fastOrigin, false);
    long realtimeOrigin = StreamRequest.originNow() + 1000; // another origin, so "relative to origin" means something
    LiveIngest.run(broker.bootstrapServers(), TOPICS, clip, REALTIME, realtimeOrigin, true);
    origins = Map.of(FAST, fastOrigin, REALTIME, realtimeOrigin);

    int expected = offline.windows().size();
    try (var reader = new PredictionReader(broker.bootstrapServers(), TOPICS.emotionPredictions())) {
      live = reader.until(all -> all.stream().filter(p -> p.getStreamId().equals(REALTIME)).count() >= expected
              && all.stream().filter(p -> p.getStreamId().equals(FAST)).count() >= expected, Duration.ofSeconds(60))
          .stream().collect(Collectors.groupingBy(Prediction::getStreamId));
    }
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (models != null) {
      models.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void liveIngestGivesTheOfflineScoresForEveryWindow() {
    assertThat(offline.windows()).as("an 8 s clip has windows starting every second").hasSize(8);
    for (String stream : List.of(FAST, REALTIME)) {
      Map<Long, Prediction> byStart = relative(stream);
      assertThat(byStart.keySet()).as("%s: window starts, relative to the origin", stream)
          .containsExactlyElementsOf(offline.windows().keySet());
      byStart.forEach((start, prediction) -> {
        assertThat(prediction.getWindowEndMs() - origins.get(stream)).as("%s window %d end", stream, start)
            .isEqualTo(offline.windows().get(start).getWindowEndMs());
        float[] expected = offline.scores().get(start).probs();
        List<LabelScore> labels = prediction.getLabels();
        assertThat(labels).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
          assertThat(labels.get(i).getScore()).as("%s window %d label %s", stream, start, labels.get(i).getLabel())
              .isCloseTo(expected[i], within(1e-4f));
        }
        assertThat(prediction.getModalitiesPresent()).as("%s window %d modalities", stream, start)
            .containsExactlyElementsOf(present(offline.windows().get(start)));
      });
    }
    // captions cover the first half only: the last windows are scored with text masked, not refused
    assertThat(relative(FAST).get(7000L).getModalitiesPresent()).containsExactly(Modality.AUDIO, Modality.VIDEO);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      assertThat(app.metrics().deadLetters(reason)).as("dead letters for %s", reason).isZero();
    }
    assertThat(app.metrics().lateRecords()).as("late records").isZero();
  }

  @Test
  void realtimeAndFastIngestGiveTheSamePredictions() {
    Map<Long, Prediction> fast = relative(FAST);
    Map<Long, Prediction> realtime = relative(REALTIME);
    assertThat(realtime.keySet()).isEqualTo(fast.keySet());
    fast.forEach((start, f) -> {
      Prediction r = realtime.get(start);
      assertThat(r.getWindowEndMs() - origins.get(REALTIME)).isEqualTo(f.getWindowEndMs() - origins.get(FAST));
      for (int i = 0; i < f.getLabels().size(); i++) {
        assertThat(r.getLabels().get(i).getScore()).as("window %d label %d", start, i)
            .isCloseTo(f.getLabels().get(i).getScore(), within(1e-5f));
      }
      f.getGates().forEach((gate, weight) ->
          assertThat(r.getGates().get(gate)).as("window %d gate %s", start, gate).isCloseTo(weight, within(1e-5f)));
      assertThat(r.getModalitiesPresent()).isEqualTo(f.getModalitiesPresent());
    });
  }

  /** A stream's predictions by window start relative to its origin; a second one for a window fails. */
  private static Map<Long, Prediction> relative(String stream) {
    var byStart = new TreeMap<Long, Prediction>();
    live.get(stream).stream().sorted(Comparator.comparingLong(Prediction::getWindowStartMs)).forEach(p ->
        assertThat(byStart.put(p.getWindowStartMs() - origins.get(stream), p)).as("%s: duplicate %s", stream, p).isNull());
    return byStart;
  }

  private static List<Modality> present(dev.mmstream.schema.v1.ModelWindow w) {
    var present = new java.util.ArrayList<Modality>();
    if (w.getText().getRows() > 0) {
      present.add(Modality.TEXT);
    }
    if (w.getAudio().getRows() > 0) {
      present.add(Modality.AUDIO);
    }
    if (w.getVideo().getRows() > 0) {
      present.add(Modality.VIDEO);
    }
    return present;
  }
}
