package dev.mmstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.ingest.batch.BatchIngest;
import dev.mmstream.ingest.batch.BatchProgress;
import dev.mmstream.ingest.batch.IngestLedger;
import dev.mmstream.ingest.batch.TrailerFolder;
import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.ingest.publish.KafkaFeatureSink;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.config.StreamsAppConfig;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.ModelRegistry;
import dev.mmstream.streams.topology.StreamsApp;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Genre tagging as a batch service, end to end on a real broker: 20 trailers (real clips, sidecar metadata, half
 * with captions) and one broken file are dropped into a folder that {@code ingest --dir --watch} watches (its
 * {@link BatchIngest}, two at a time, as fast as they decode, into Kafka); the streams app serves a genre model over
 * the live featurizers' spec ids that also takes a trailer's poster and metadata. Exactly 20 genre predictions come
 * out, one per trailer, with the modalities each had (a poster for every third one: a real photo of a person, through
 * the frame featurizer); the broken file is reported and gets none; a restarted watch over the same folder and ledger ingests nothing
 * again, so still exactly 20.
 */
class BatchGenreIT {
  private static final Topics TOPICS = Topics.defaults();
  private static final int TRAILERS = 20;
  private static final Duration SETTLE = Duration.ofMillis(500);
  private static final Duration POLL = Duration.ofMillis(200);

  @TempDir Path dir;

  @Test
  void twentyTrailersDroppedIntoAWatchedFolderGiveExactlyTwentyGenrePredictions() throws Exception {
    Path clip = TestMedia.clip(dir, "clip.mkv", 4.0, 320, 240, 25);
    Path captions = TestMedia.srt(dir, 4.0);
    Path folder = Files.createDirectory(dir.resolve("incoming"));
    Path ledger = dir.resolve("ledger.tsv");
    List<String> names = IntStream.rangeClosed(1, TRAILERS).mapToObj(i -> String.format(Locale.ROOT, "trailer-%02d", i)).toList();

    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(dir.resolve("broker"), 2))) {
      TopicProvisioner.ensureTopics(broker.bootstrapServers(), TOPICS, 2);
      try (var models = ModelRegistry.open(LiveModel.catalogueDir(), new InferenceSettings(Device.CPU, 1, 64), ModelRegistry.DEFAULT_POLL);
          var app = StreamsApp.start(new StreamsAppConfig(broker.bootstrapServers(), "batch-genre-it", TOPICS, dir.resolve("state"), 1,
              AlignmentConfig.defaults(), 0), models);
          var featurizers = Featurizers.forTask(SpeechClip.modelsDir(), Task.GENRE);
          var reader = new PredictionReader(broker.bootstrapServers(), TOPICS.genrePredictions())) {
        Watch first = Watch.start(featurizers, broker.bootstrapServers(), ledger, folder);
        for (int i = 0; i < TRAILERS; i++) {
          drop(folder, names.get(i), clip, i % 2 == 0 ? captions : null, i % 3 == 0);
        }
        Files.writeString(folder.resolve("trailer-broken.mp4"), "a letter, not a trailer");
        await("the batch ingested every trailer").atMost(Duration.ofMinutes(3))
            .until(() -> first.progress().done() + first.progress().failures().size() == TRAILERS + 1);
        first.stop();
        assertThat(first.progress().done()).isEqualTo(TRAILERS);
        assertThat(first.progress().failures()).singleElement().asString().startsWith("trailer-broken (")
            .contains("cannot be opened as media");

        reader.until(all -> all.size() >= TRAILERS, Duration.ofMinutes(2));
        List<Prediction> predictions = reader.readFor(Duration.ofSeconds(5)); // a second one would show here
        assertExactlyOnePerTrailer(predictions, names);

        // a restart over the same folder and ledger takes nothing again
        Watch second = Watch.start(featurizers, broker.bootstrapServers(), ledger, folder);
        Thread.sleep(3 * (SETTLE.toMillis() + POLL.toMillis()));
        second.stop();
        assertThat(second.progress().done()).isZero();
        assertThat(second.progress().failures()).isEmpty();
        assertExactlyOnePerTrailer(reader.readFor(Duration.ofSeconds(3)), names);
        assertThat(Files.readAllLines(ledger)).hasSize(TRAILERS + 1);
      }
    }
  }

  private static void assertExactlyOnePerTrailer(List<Prediction> predictions, List<String> names) {
    Map<String, Prediction> byTrailer = predictions.stream().collect(Collectors.toMap(Prediction::getStreamId, Function.identity(),
        (a, b) -> {
          throw new AssertionError("two genre predictions for " + a.getStreamId());
        }));
    assertThat(byTrailer.keySet()).containsExactlyInAnyOrderElementsOf(names);
    byTrailer.forEach((name, p) -> {
      assertThat(p.getLabels()).as("%s: the 13 Moviescope genres", name).hasSize(13);
      assertThat(p.getModalitiesPresent()).as("%s modalities", name).contains(Modality.AUDIO, Modality.VIDEO);
      int n = Integer.parseInt(name.substring(name.length() - 2));
      assertThat(p.getModalitiesPresent().contains(Modality.TEXT)).as("%s had captions", name).isEqualTo(n % 2 == 1);
      assertThat(p.getModalitiesPresent().contains(Modality.POSTER)).as("%s had a poster", name).isEqualTo((n - 1) % 3 == 0);
      assertThat(p.getModalitiesPresent()).as("%s metadata", name).contains(Modality.METADATA);
      assertThat(p.getGates()).as("%s gates", name).containsKeys("text", "audio", "video", "poster", "metadata", "early");
      assertThat(p.getGates().get("poster") > 0).as("%s poster gate", name).isEqualTo((n - 1) % 3 == 0);
    });
  }

  /**
   * A trailer lands: its metadata, poster and captions first, then the media (copied, not moved: not atomic). A
   * poster is named in the JSON or, the other way a folder can hold one, sits beside the media as NAME.jpg.
   */
  private static void drop(Path folder, String name, Path clip, Path captions, boolean poster) throws Exception {
    Path photo = TestMedia.modelsDir().resolve("node_modules/@vladmandic/face-api/demo/sample1.jpg");
    boolean named = poster && Integer.parseInt(name.substring(name.length() - 2)) % 2 == 1;
    if (poster) {
      Files.copy(photo, folder.resolve(named ? "key-art-" + name + ".jpg" : name + ".jpg"));
    }
    Files.writeString(folder.resolve(name + ".json"), String.format(Locale.ROOT,
        "{\"title\": \"%s\", \"plot\": \"A test pattern speaks.\", \"year\": 2026, \"runtime\": 1%s}", name,
        named ? ", \"poster\": \"key-art-" + name + ".jpg\"" : ""));
    if (captions != null) {
      Files.copy(captions, folder.resolve(name + ".srt"));
    }
    Files.copy(clip, folder.resolve(name + ".mkv"));
  }

  /** {@code ingest --dir FOLDER --watch --jobs 2} in a thread of its own. */
  private record Watch(BatchIngest batch, Thread thread) {
    static Watch start(Featurizers featurizers, String bootstrap, Path ledger, Path folder) {
      var progress = new BatchProgress(new PrintStream(System.err, true), System::nanoTime);
      var batch = new BatchIngest(featurizers, new DecoderOptions(2, Duration.ofSeconds(10)), Task.GENRE,
          origin -> new KafkaFeatureSink(bootstrap, TOPICS, origin, Map.of()), IngestLedger.open(ledger), progress, 2);
      var thread = new Thread(() -> {
        try {
          batch.watch(new TrailerFolder(folder), SETTLE, POLL);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "watch-" + folder.getFileName());
      thread.start();
      return new Watch(batch, thread);
    }

    BatchProgress progress() {
      return batch.progress();
    }

    void stop() throws InterruptedException {
      batch.stop();
      thread.join(Duration.ofMinutes(2).toMillis());
      assertThat(thread.isAlive()).as("the watch stopped").isFalse();
    }
  }
}
