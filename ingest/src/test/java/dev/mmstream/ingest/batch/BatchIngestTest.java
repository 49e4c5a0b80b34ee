package dev.mmstream.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.ingest.publish.CollectingSink;
import dev.mmstream.ingest.publish.PublishException;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches of real clips into memory sinks: a folder with sidecars, broken trailers among good ones, the ledger
 * across runs, a manifest, a watched folder that a trailer is copied into slowly, and Kafka failing.
 */
class BatchIngestTest {
  @TempDir static Path media;
  @TempDir Path dir;
  private static Path clip;
  private static Featurizers featurizers;

  private final List<CollectingSink> opened = Collections.synchronizedList(new ArrayList<>());
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void makeClipAndLoadModels() {
    clip = TestMedia.clip(media, "clip.mkv", 2.0, 160, 120, 25);
    featurizers = Featurizers.forTask(TestMedia.modelsDir(), Task.GENRE);
  }

  @AfterAll
  static void closeModels() {
    featurizers.close();
  }

  @Test
  void aFolderIsIngestedTrailerByTrailerWithItsSidecarsAndTheBrokenOnesAreReported() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("in"));
    Files.copy(clip, folder.resolve("alpha.mkv"));
    Files.writeString(folder.resolve("alpha.json"), """
        {"title": "Alpha", "plot": "A heist goes wrong.", "year": 2019, "runtime": 121, "poster": "posters/alpha.jpg"}""");
    Files.copy(clip, folder.resolve("beta.mkv"));
    TestMedia.write(folder.resolve("beta.srt"), "1\n00:00:00,200 --> 00:00:01,400\nthe cat sat on the mat\n");
    Files.writeString(folder.resolve("gamma.mp4"), "not a video, a letter");
    Files.copy(clip, folder.resolve("delta.mkv"));
    Files.writeString(folder.resolve("delta.json"), "{\"title\": \"Delta\", ");
    Files.writeString(folder.resolve("notes.txt"), "ignored");
    Files.copy(clip, folder.resolve(".hidden.mkv"));
    Path ledger = dir.resolve("ledger.tsv");

    BatchProgress progress = run(batch(ledger, 2), new TrailerFolder(folder).scan());

    Map<String, CollectingSink> sinks = sinks();
    assertThat(sinks.keySet()).as("every trailer that got as far as decoding").containsExactlyInAnyOrder("alpha", "beta", "gamma");
    StreamEvent alphaStart = sinks.get("alpha").events().get(0);
    assertThat(alphaStart.getType()).isEqualTo(StreamEventType.START);
    assertThat(alphaStart.getTask()).isEqualTo(Task.GENRE);
    assertThat(alphaStart.getMetadata()).containsEntry("title", "Alpha").containsEntry("plot", "A heist goes wrong.")
        .containsEntry("year", "2019").containsEntry("runtime", "121")
        .containsEntry("poster", folder.resolve("posters/alpha.jpg").toAbsolutePath().toString());
    assertThat(alphaStart.getCatalogue().getPoster()).as("its poster file is missing").isNull();
    assertThat(alphaStart.getCatalogue().getMetadata()).as("year, runtime, title, plot").isNotNull();
    assertThat(stderr()).contains("WARN alpha: poster " + folder.resolve("posters/alpha.jpg").toAbsolutePath()
        + " is not a file; the trailer is scored without its poster");
    assertThat(sinks.get("alpha").frames()).as("2 s at the genre rate of 2 frames/s").hasSize(4);
    assertThat(sinks.get("beta").tokens()).as("beta's captions sidecar").hasSize(1);
    assertThat(sinks.get("gamma").events()).extracting(StreamEvent::getType).containsExactly(StreamEventType.START, StreamEventType.END);

    assertThat(progress.done()).isEqualTo(2);
    assertThat(progress.failures()).hasSize(2)
        .anySatisfy(f -> assertThat(f).startsWith("gamma (" + folder.resolve("gamma.mp4") + "): ").contains("cannot be opened as media"))
        .anySatisfy(f -> assertThat(f).startsWith("delta (").contains(folder.resolve("delta.json") + " is not readable JSON"));
    assertThat(stderr()).contains("FAILED gamma (").contains("FAILED delta (");
    assertThat(progress.summary()).matches("4 trailers in 0 min \\d+ s \\(\\d+\\.\\d trailers/min, \\d+x real time\\): 2 ingested, 2 failed");
    assertThat(Files.readAllLines(ledger)).hasSize(4)
        .anySatisfy(l -> assertThat(l).contains("\talpha\tok\t"))
        .anySatisfy(l -> assertThat(l).contains("\tgamma\tfailed\t"));

    // a second run over the same folder and ledger ingests nothing; a replaced file is a new trailer
    opened.clear();
    BatchProgress again = run(batch(ledger, 2), new TrailerFolder(folder).scan());
    assertThat(opened).isEmpty();
    assertThat(again.skipped()).isEqualTo(4);
    assertThat(again.summary()).endsWith("0 ingested, 0 failed; 4 skipped (already in the ledger)");

    Files.copy(clip, folder.resolve("gamma.mp4"), StandardCopyOption.REPLACE_EXISTING);
    BatchProgress fixed = run(batch(ledger, 1), new TrailerFolder(folder).scan());
    assertThat(sinks().keySet()).containsExactly("gamma");
    assertThat(fixed.done()).isEqualTo(1);
    assertThat(fixed.failures()).isEmpty();
  }

  @Test
  void aManifestNamesItsTrailersAndABadRowNamesItsLine() throws Exception {
    Files.copy(clip, dir.resolve("one.mkv"));
    Files.writeString(dir.resolve("one.json"), "{\"title\": \"One\"}");
    Path manifest = TestMedia.write(dir.resolve("manifest.csv"), """
        clip_id,media_path,captions_path,metadata_path,labels,split
        genre-1,one.mkv,,one.json,action;drama,train
        genre-2,missing.mkv,,,comedy,test
        """);

    List<Trailer> trailers = IngestManifest.read(manifest);
    BatchProgress progress = run(batch(dir.resolve("ledger.tsv"), 1), trailers);

    assertThat(sinks().keySet()).containsExactly("genre-1");
    assertThat(sinks().get("genre-1").events().get(0).getMetadata()).containsEntry("title", "One");
    assertThat(progress.failures()).singleElement().asString()
        .contains("manifest.csv line 3: no media file " + dir.resolve("missing.mkv"));
    assertThatThrownBy(() -> IngestManifest.read(TestMedia.write(dir.resolve("bad.csv"), "clip,path\na,b\n")))
        .hasMessageContaining("has no media_path column (its header: clip,path)");
  }

  @Test
  void aWatchedFolderTakesATrailerOnceItsCopyHasFinishedAndOnlyOnce() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("watched"));
    BatchIngest batch = batch(dir.resolve("ledger.tsv"), 2);
    Thread watcher = new Thread(() -> {
      try {
        batch.watch(new TrailerFolder(folder), Duration.ofSeconds(2), Duration.ofMillis(100)); // 4x the gap below: a busy machine may stall
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    watcher.start();
    try {
      // the copy arrives in two halves 500 ms apart, as a slow upload would: taken only once whole
      byte[] bytes = Files.readAllBytes(clip);
      try (OutputStream out = Files.newOutputStream(folder.resolve("slow.mkv"))) {
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        Thread.sleep(500);
        assertThat(opened).as("half a file is not taken").isEmpty();
        out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> batch.progress().done() == 1);
      assertThat(sinks().get("slow").frames()).as("the whole 2 s").hasSize(4);

      Files.copy(clip, folder.resolve("second.mkv"));
      await().atMost(Duration.ofSeconds(60)).until(() -> batch.progress().done() == 2);
      Thread.sleep(1_000); // more scans: nothing is taken twice
      assertThat(batch.progress().done()).isEqualTo(2);
      assertThat(opened).hasSize(2);
      assertThat(sinks().keySet()).containsExactlyInAnyOrder("slow", "second");
    } finally {
      batch.stop();
      watcher.join(60_000);
    }
    assertThat(watcher.isAlive()).as("watch returns after stop()").isFalse();
  }

  @Test
  void kafkaFailingStopsTheBatchWithoutRecordingTheTrailer() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("in"));
    Files.copy(clip, folder.resolve("a.mkv"));
    Path ledger = dir.resolve("ledger.tsv");
    var progress = new BatchProgress(new PrintStream(err, true, StandardCharsets.UTF_8), System::nanoTime);
    var batch = new BatchIngest(featurizers, new DecoderOptions(2, Duration.ofSeconds(5)), Task.GENRE,
        origin -> {
          throw new PublishException("Kafka did not take this stream's records for 30 s", null);
        },
        IngestLedger.open(ledger), progress, 1);

    assertThatThrownBy(() -> batch.run(new TrailerFolder(folder).scan())).isInstanceOf(BatchIngest.BatchStoppedException.class)
        .hasMessageContaining("Kafka did not take this stream's records for 30 s")
        .hasMessageContaining("trailers not in the ledger are ingested on the next run");
    assertThat(Files.exists(ledger)).as("nothing recorded: a.mkv is ingested on the next run").isFalse();
  }

  @Test
  void optionsThatCannotWorkAreRefused() {
    assertThatThrownBy(() -> new TrailerFolder(dir.resolve("nope"))).hasMessageContaining("--dir " + dir.resolve("nope") + " is not a folder");
    assertThatThrownBy(() -> batch(dir.resolve("l.tsv"), 0)).hasMessageContaining("--jobs must be at least 1");
  }

  private BatchIngest batch(Path ledger, int jobs) {
    var progress = new BatchProgress(new PrintStream(err, true, StandardCharsets.UTF_8), System::nanoTime);
    return new BatchIngest(featurizers, new DecoderOptions(2, Duration.ofSeconds(5)), Task.GENRE, origin -> {
      var sink = new CollectingSink();
      opened.add(sink);
      return sink;
    }, IngestLedger.open(ledger), progress, jobs);
  }

  /** The sinks opened so far, by the stream id of their START. */
  private Map<String, CollectingSink> sinks() {
    synchronized (opened) {
      return opened.stream().filter(s -> !s.events().isEmpty())
          .collect(Collectors.toMap(s -> s.events().get(0).getStreamId(), s -> s));
    }
  }

  private static BatchProgress run(BatchIngest batch, List<Trailer> trailers) throws InterruptedException {
    batch.run(trailers);
    return batch.progress();
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
