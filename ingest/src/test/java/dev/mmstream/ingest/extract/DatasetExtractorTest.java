package dev.mmstream.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmstream.align.FrameVectorizer;
import dev.mmstream.align.HoppingWindows;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.ingest.audio.AudioSpec;
import dev.mmstream.ingest.cli.ExtractMain;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Extract over a real synth corpus: windows, labels, dataset.json, resuming, and bad input. */
class DatasetExtractorTest {
  @TempDir static Path corpus;
  static Path emotionManifest;
  static Path genreManifest;

  @BeforeAll
  static void generateCorpus() throws Exception {
    emotionManifest = Repo.synth("emotion", 2, 1, corpus.resolve("emotion"));
    genreManifest = Repo.synth("genre", 1, 20, corpus.resolve("genre")); // seed 20: a 32 s trailer, the shortest kind
  }

  @Test
  void emotionClipsGiveOneLabelledWindowPerHopAndADatasetJsonThatDescribesThem(@TempDir Path out) throws Exception {
    Manifest manifest = Manifest.read(emotionManifest, Optional.empty());
    assertThat(manifest.task()).as("task from the clips' metadata").isEqualTo(Task.EMOTION);
    var settings = ExtractSettings.defaults(Task.EMOTION, Repo.models());

    ExtractReport report = new DatasetExtractor(settings, new DatasetLayout(out), 2, false, System.err).run(manifest);

    assertThat(report.errors()).isEmpty();
    assertThat(report.extracted()).isEqualTo(2);
    var rows = DatasetFiles.csvRows(emotionManifest);
    int totalWindows = 0;
    var dims = new HashMap<String, Integer>();
    for (List<String> row : rows.subList(1, rows.size())) {
      String clip = row.get(0);
      long mediaEndMs = mediaEnd(out, clip);
      double durationS = DatasetFiles.json(emotionManifest.resolveSibling(row.get(3))).get("duration_s").asDouble();
      assertThat((double) mediaEndMs).as("decoded length of %s", clip).isCloseTo(durationS * 1000, org.assertj.core.data.Offset.offset(150.0));

      List<ModelWindow> windows = DatasetFiles.records(out.resolve("windows/" + clip + ".avro"), ModelWindow.class);
      List<WindowBounds> hops = HoppingWindows.emotion().over(mediaEndMs);
      assertThat(windows).hasSize(hops.size()).hasSize((int) Math.ceil(mediaEndMs / 1000.0));
      for (int i = 0; i < windows.size(); i++) {
        ModelWindow w = windows.get(i);
        assertThat(new WindowBounds(w.getWindowStartMs(), w.getWindowEndMs())).isEqualTo(hops.get(i));
        assertThat(w.getStreamId()).isEqualTo(clip);
        assertThat(w.getTask()).isEqualTo(Task.EMOTION);
        assertThat(w.getLabels()).isEqualTo(Arrays.asList(row.get(4).split(";")));
        assertThat(w.getSplit()).isEqualTo(row.get(5));
        assertThat(settings.specIds()).containsAllEntriesOf(w.getSpecIds());
        assertThat(w.getVideo().getRows()).isLessThanOrEqualTo(20);
        for (var m : Map.of("text", w.getText(), "audio", w.getAudio(), "video", w.getVideo()).entrySet()) {
          if (m.getValue().getRows() > 0) {
            dims.put(m.getKey(), m.getValue().getCols());
          }
        }
      }
      assertThat(windows.get(0).getSpecIds()).as("the first window of a clip with speech, sound and picture")
          .containsOnlyKeys("text", "audio", "video", "window");
      totalWindows += windows.size();
    }

    FrameFeatures frame = DatasetFiles.records(out.resolve("features/" + rows.get(1).get(0) + "/" + FeatureFiles.FRAMES), FrameFeatures.class).get(0);
    JsonNode json = DatasetFiles.json(out.resolve("dataset.json"));
    assertThat(json.get("task").asText()).isEqualTo("emotion");
    assertThat(json.get("labels")).extracting(JsonNode::asText).containsExactly("anger", "disgust", "fear", "happy", "sad", "surprise");
    settings.specIds().forEach((k, v) -> assertThat(json.get("spec_ids").get(k).asText()).isEqualTo(v));
    assertThat(json.get("dims").get("text").asInt()).isEqualTo(384).isEqualTo(dims.get("text"));
    assertThat(json.get("dims").get("audio").asInt()).isEqualTo(AudioSpec.defaults().mels() + 3).isEqualTo(dims.get("audio"));
    assertThat(json.get("dims").get("video").asInt())
        .isEqualTo(FrameVectorizer.dimension(frame.getScene().getHistogram().size())).isEqualTo(dims.get("video"));
    assertThat(json.get("max_lengths").get("text").asInt()).isEqualTo(48);
    assertThat(json.get("max_lengths").get("audio").asInt()).isEqualTo(40);
    assertThat(json.get("max_lengths").get("video").asInt()).isEqualTo(20);
    assertThat(json.get("clips").asInt()).isEqualTo(2);
    assertThat(json.get("windows").asInt()).isEqualTo(totalWindows).isEqualTo(report.summary().windows());
    assertThat(json.get("errors").asInt()).isZero();
    assertThat(json.get("hash").asText())
        .isEqualTo(DatasetFiles.windowsHash(out, rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList()));

    // a rerun finds every clip done, writes none of them again, and describes the same dataset
    Map<Path, FileSnapshot> before = snapshot(out);
    ExtractReport again = new DatasetExtractor(settings, new DatasetLayout(out), 2, false, System.err).run(manifest);
    assertThat(again.skipped()).isEqualTo(2);
    assertThat(again.extracted()).isZero();
    assertThat(snapshot(out)).isEqualTo(before);
    assertThat(DatasetFiles.json(out.resolve("dataset.json"))).isEqualTo(json);
  }

  @Test
  void aGenreTrailerIsOneWindowOverTheWholeClip(@TempDir Path out) throws Exception {
    Manifest manifest = Manifest.read(genreManifest, Optional.empty());
    assertThat(manifest.task()).as("task from the clip's metadata").isEqualTo(Task.GENRE);

    ExtractReport report = new DatasetExtractor(ExtractSettings.defaults(Task.GENRE, Repo.models()), new DatasetLayout(out), 1, false, System.err)
        .run(manifest);

    assertThat(report.errors()).isEmpty();
    List<String> row = DatasetFiles.csvRows(genreManifest).get(1);
    List<ModelWindow> windows = DatasetFiles.records(out.resolve("windows/" + row.get(0) + ".avro"), ModelWindow.class);
    long mediaEndMs = mediaEnd(out, row.get(0));
    assertThat(mediaEndMs).isGreaterThan(30_000);
    assertThat(windows).singleElement().satisfies(w -> {
      assertThat(w.getWindowStartMs()).isZero();
      assertThat(w.getWindowEndMs()).isEqualTo(mediaEndMs);
      assertThat(w.getTask()).isEqualTo(Task.GENRE);
      assertThat(w.getLabels()).isEqualTo(Arrays.asList(row.get(4).split(";")));
      assertThat(w.getVideo().getRows()).as("2 frames/s over the trailer, at most 64").isBetween(50, 64);
      assertThat(w.getAudio().getRows()).as("one pooled step per second").isBetween(30, 33);
      assertThat(w.getCatalogue().getMetadata()).as("the trailer's metadata vector").hasSize(774);
      boolean hasPoster = DatasetFiles.json(genreManifest.resolveSibling(row.get(3))).has("poster");
      assertThat(w.getCatalogue().getPoster() == null ? 0 : w.getCatalogue().getPoster().size())
          .as("its poster through the frame featurizer").isEqualTo(hasPoster ? 295 : 0);
    });
    JsonNode json = DatasetFiles.json(out.resolve("dataset.json"));
    assertThat(json.get("task").asText()).isEqualTo("genre");
    assertThat(json.get("labels")).hasSize(13);
    assertThat(json.get("max_lengths").get("text").asInt()).isEqualTo(256);
    assertThat(json.get("max_lengths").get("video").asInt()).isEqualTo(64);
    assertThat(json.get("windows").asInt()).isEqualTo(1);
    assertThat(json.get("catalogue").get("dims").get("poster").asInt()).isEqualTo(295);
    assertThat(json.get("catalogue").get("dims").get("metadata").asInt()).isEqualTo(774);
    assertThat(json.get("catalogue").get("spec_ids").get("poster").asText()).startsWith("poster@v1(video.face-scene@");
  }

  @Test
  void badRowsAndBrokenClipsAreListedWithTheirReasonWhileTheGoodClipIsExtracted(@TempDir Path work) throws Exception {
    var good = DatasetFiles.csvRows(emotionManifest).get(1);
    Path base = emotionManifest.getParent();
    Path corrupt = work.resolve("corrupt.mp4");
    byte[] noise = new byte[64 * 1024];
    new Random(7).nextBytes(noise);
    Files.write(corrupt, noise);
    String media = base.resolve(good.get(1)).toString();
    String captions = base.resolve(good.get(2)).toString();
    String meta = base.resolve(good.get(3)).toString();
    Path manifest = work.resolve("manifest.csv");
    Files.writeString(manifest, String.join("\n",
        "clip_id,media_path,captions_path,metadata_path,labels,split",
        String.join(",", good.get(0), media, captions, meta, good.get(4), good.get(5)),
        "gone,media/nowhere.mp4,,,happy,train",
        "corrupt," + corrupt + ",,,happy;sad,train",
        "odd-label," + media + ",,,happy;joy,val",
        String.join(",", good.get(0), corrupt.toString(), "", "", "fear", "test"),
        "bad-split," + media + ",,,sad,dev") + "\n");
    Path out = work.resolve("dataset");

    int exit = new CommandLine(new ExtractMain()).execute(
        "--manifest", manifest.toString(), "--out", out.toString(), "--jobs", "1", "--models-dir", Repo.models().toString());

    assertThat(exit).as("exit status when some clips are left out").isEqualTo(1);
    var reasons = new HashMap<String, List<String>>();
    var errors = DatasetFiles.csvRows(out.resolve("errors.csv"));
    assertThat(errors.get(0)).containsExactly("clip_id", "reason");
    errors.subList(1, errors.size()).forEach(r -> reasons.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r.get(1)));
    assertThat(reasons).containsOnlyKeys("gone", "corrupt", "odd-label", good.get(0), "bad-split");
    assertThat(reasons.get("gone")).singleElement().asString()
        .startsWith("manifest line 3: ").contains("media_path " + work.resolve("media/nowhere.mp4") + " does not exist");
    assertThat(reasons.get("corrupt")).singleElement().asString().contains(corrupt.toString())
        .containsAnyOf("cannot open media", "cannot be opened as media").contains("Invalid data found");
    assertThat(reasons.get("odd-label")).singleElement().asString()
        .startsWith("manifest line 5: ").contains("unknown label 'joy' for task emotion").doesNotContain("'happy'");
    assertThat(reasons.get(good.get(0))).singleElement().asString()
        .startsWith("manifest line 6: ").contains("clip id '" + good.get(0) + "' was already used on line 2");
    assertThat(reasons.get("bad-split")).singleElement().asString()
        .startsWith("manifest line 7: ").contains("split 'dev' is not train, val or test");

    assertThat(DatasetFiles.records(out.resolve("windows/" + good.get(0) + ".avro"), ModelWindow.class))
        .isNotEmpty().allSatisfy(w -> assertThat(w.getLabels()).isEqualTo(Arrays.asList(good.get(4).split(";"))));
    assertThat(out.resolve("windows/corrupt.avro")).doesNotExist();
    assertThat(out.resolve("features/corrupt")).doesNotExist();
    try (Stream<Path> left = Files.list(out.resolve("windows"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(good.get(0) + ".avro");
    }
    JsonNode json = DatasetFiles.json(out.resolve("dataset.json"));
    assertThat(json.get("clips").asInt()).isEqualTo(1);
    assertThat(json.get("errors").asInt()).isEqualTo(5);
  }

  @Test
  void textOnlyAndAudioOnlyClipsAreFirstClassWithDimsFromTheSpecs(@TempDir Path work) throws Exception {
    Path wav = TestMedia.speech(work);
    Path srt = TestMedia.srt(work, 5.0); // cues 0.2-1.4, 1.7-2.9, 3.2-4.4 s
    Path manifest = TestMedia.write(work.resolve("manifest.csv"), String.join("\n",
        "clip_id,media_path,captions_path,metadata_path,labels,split,source,source_label",
        "speech,speech.wav,,,anger,train,emodb,anger",
        "line,,captions.srt,,,val,meld,neutral",
        "nothing,,,,sad,train,meld,sadness") + "\n");
    var settings = ExtractSettings.defaults(Task.EMOTION, Repo.models());
    Path out = work.resolve("dataset");

    ExtractReport report = new DatasetExtractor(settings, new DatasetLayout(out), 1, false, System.err)
        .run(Manifest.read(manifest, Optional.empty()));

    assertThat(report.extracted()).isEqualTo(2);
    assertThat(report.errors()).singleElement().extracting(ClipError::clipId).isEqualTo("nothing");
    List<ModelWindow> text = DatasetFiles.records(out.resolve("windows/line.avro"), ModelWindow.class);
    assertThat(mediaEnd(out, "line")).as("a text-only clip ends with its last cue").isEqualTo(TestMedia.cueEndMs(2));
    assertThat(text).extracting(ModelWindow::getWindowStartMs).containsExactly(0L, 1000L, 2000L, 3000L, 4000L);
    assertThat(text).allSatisfy(w -> {
      assertThat(w.getAudio().getRows()).isZero();
      assertThat(w.getVideo().getRows()).isZero();
      assertThat(w.getLabels()).isEmpty();
    });
    assertThat(text.get(0).getText().getRows()).as("tokens of the first two cues").isPositive();
    assertThat(text.get(0).getSpecIds()).containsOnlyKeys("text", "window");
    List<ModelWindow> speech = DatasetFiles.records(out.resolve("windows/speech.avro"), ModelWindow.class);
    assertThat(speech).isNotEmpty().allSatisfy(w -> {
      assertThat(w.getText().getRows()).isZero();
      assertThat(w.getVideo().getRows()).isZero();
    });
    assertThat(speech.get(0).getAudio().getRows()).as("100 ms steps of 2-3 s of speech").isBetween(15, 40);

    JsonNode json = DatasetFiles.json(out.resolve("dataset.json"));
    assertThat(json.get("dims").get("video").asInt()).as("no clip has video, the spec still gives its width")
        .isEqualTo(FrameVectorizer.dimension(20));
    assertThat(json.get("dims").get("audio").asInt()).isEqualTo(AudioSpec.defaults().mels() + 3);
    var clips = DatasetFiles.csvRows(out.resolve("clips.csv"));
    assertThat(clips).containsExactly(List.of("clip_id", "source", "source_label"),
        List.of("speech", "emodb", "anger"), List.of("line", "meld", "neutral"));
  }

  private static long mediaEnd(Path dataset, String clip) throws IOException {
    List<StreamEvent> events = DatasetFiles.records(dataset.resolve("features/" + clip + "/" + FeatureFiles.EVENTS), StreamEvent.class);
    assertThat(events).extracting(StreamEvent::getType).containsExactly(StreamEventType.START, StreamEventType.END);
    return events.get(1).getMediaEndMs();
  }

  private record FileSnapshot(byte[] bytes, FileTime modified) {
    @Override
    public boolean equals(Object o) {
      return o instanceof FileSnapshot s && Arrays.equals(bytes, s.bytes) && modified.equals(s.modified);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return bytes.length + " bytes, modified " + modified;
    }
  }

  private static Map<Path, FileSnapshot> snapshot(Path dataset) throws IOException {
    var files = new HashMap<Path, FileSnapshot>();
    try (Stream<Path> all = Files.walk(dataset)) {
      for (Path p : all.filter(Files::isRegularFile).filter(p -> !p.endsWith("dataset.json") && !p.endsWith("errors.csv")).toList()) {
        files.put(dataset.relativize(p), new FileSnapshot(Files.readAllBytes(p), Files.getLastModifiedTime(p)));
      }
    }
    return files;
  }
}
