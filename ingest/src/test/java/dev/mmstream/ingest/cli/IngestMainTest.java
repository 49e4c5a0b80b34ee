package dev.mmstream.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.ingest.publish.CollectingSink;
import dev.mmstream.ingest.testing.LoopbackServer;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user of {@code ./mmstream ingest} sees: the exit code, stdout and stderr, for good and bad input. */
class IngestMainTest {
  @TempDir static Path dir;
  private static Path clip;

  private final List<CollectingSink> opened = new ArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void makeClip() {
    clip = TestMedia.clip(dir, "clip.mkv", 3.0, 160, 120, 25);
  }

  @Test
  void goodClipExitsZeroPrintsTheSummaryAndReportsSkippedCaptionCuesByLine() {
    Path srt = TestMedia.write(dir.resolve("broken.srt"), """
        1
        00:00:00,200 --> 00:00:01,400
        the cat sat on the mat

        2
        00:00:01,500 --> 00:00:xx,000
        this cue's end time is broken

        3
        00:00:01,700 --> 00:00:02,900
        good night
        """);

    int code = ingest("--source", clip.toString(), "--stream-id", "cli-1", "--captions", srt.toString());

    assertThat(code).isZero();
    assertThat(stdout()).contains("cli-1: 3.0 s of media").contains("2 stream events, 15 frames, 3 audio chunks, 2 caption cues");
    assertThat(stderr()).contains("warning: " + srt + ": line 6: bad timing line");
    assertThat(onlySink().tokens()).hasSize(2);
  }

  @Test
  void zeroByteFileExitsOneWithTheReasonAndPublishesNothing() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));

    int code = ingest("--source", empty.toString(), "--stream-id", "cli-2");

    assertThat(code).isEqualTo(1);
    assertThat(stderr()).contains("ingest: media file " + empty + " is empty (0 bytes)").doesNotContain("Exception");
    assertThat(opened).isEmpty();
  }

  @Test
  void textFileNamedMp4ExitsOneAndEndsTheStreamWithTheReason() {
    Path text = TestMedia.write(dir.resolve("letter.mp4"), "Dear reader, this is not a video.\n".repeat(40));

    int code = ingest("--source", text.toString(), "--stream-id", "cli-3");

    assertThat(code).isEqualTo(1);
    assertThat(stdout()).contains("FAILED: file " + text + " cannot be opened as media: Invalid data found when processing input");
    StreamEvent end = onlySink().events().get(1);
    assertThat(end.getType()).isEqualTo(StreamEventType.END);
    assertThat(end.getReason()).contains("letter.mp4");
  }

  @Test
  void missingCaptionFileExitsOneBeforeAnythingIsPublished() {
    int code = ingest("--source", clip.toString(), "--stream-id", "cli-4", "--captions", dir.resolve("nope.srt").toString());

    assertThat(code).isEqualTo(1);
    assertThat(stderr()).contains("ingest: " + dir.resolve("nope.srt") + ": caption file not found");
    assertThat(onlySink().events()).isEmpty();
  }

  @Test
  void rtspServerThatNeverAnswersFailsWithinTenSecondsWithTheDefaultTimeout() {
    try (var server = LoopbackServer.silent()) {
      long started = System.nanoTime();

      int code = ingest("--source", "rtsp://127.0.0.1:" + server.port() + "/cam", "--stream-id", "cli-5");

      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
      assertThat(code).isEqualTo(1);
      assertThat(stdout()).contains("did not answer within");
      assertThat(onlySink().events()).extracting(StreamEvent::getType).containsExactly(StreamEventType.START, StreamEventType.END);
    }
  }

  @Test
  void aFolderOfTrailersIsOneCommandWhoseExitCodeSaysWhetherAnyFailed() throws Exception {
    Path folder = java.nio.file.Files.createDirectories(dir.resolve("trailers"));
    java.nio.file.Files.copy(clip, folder.resolve("t1.mkv"));
    java.nio.file.Files.copy(clip, folder.resolve("t2.mkv"));

    assertThat(ingest("--dir", folder.toString(), "--jobs", "2")).as(stderr()).isZero();
    assertThat(opened).hasSize(2).allSatisfy(sink -> assertThat(sink.events().get(0).getTask()).isEqualTo(Task.GENRE));
    assertThat(stdout()).containsPattern("2 trailers in 0 min \\d+ s \\(.* trailers/min, .*x real time\\): 2 ingested, 0 failed");
    assertThat(folder.resolve(".mmstream-ingested.tsv")).as("the default ledger").isRegularFile();

    java.nio.file.Files.writeString(folder.resolve("t3.mp4"), "no video");
    out.reset();
    assertThat(ingest("--dir", folder.toString())).isEqualTo(1);
    assertThat(stderr()).contains("FAILED t3 (" + folder.resolve("t3.mp4") + "): ");
    assertThat(stdout()).contains("1 trailers in").contains("0 ingested, 1 failed; 2 skipped (already in the ledger)");

    assertThat(ingest("--watch", "--stream-id", "x", "--source", clip.toString())).isEqualTo(2);
    assertThat(stderr()).contains("--watch needs --dir: the folder to watch");
    assertThat(ingest("--dir", folder.toString(), "--source", clip.toString())).isEqualTo(2);
    assertThat(stderr()).contains("--source is for one stream: with --dir or --manifest each trailer's media");
    assertThat(ingest("--source", clip.toString())).isEqualTo(2);
    assertThat(stderr()).contains("give --stream-id");
  }

  @Test
  void thumbnailsAreOptInAndTheirOptionsAreChecked() {
    assertThat(ingest("--source", clip.toString(), "--stream-id", "cli-9")).isZero();
    assertThat(onlySink().thumbnails()).isEmpty();
    assertThat(stdout()).doesNotContain("thumbnails");

    opened.clear();
    assertThat(ingest("--source", clip.toString(), "--stream-id", "cli-10", "--thumbnails", "--thumbnail-width", "64")).isZero();
    assertThat(onlySink().thumbnails()).hasSize(3).allSatisfy(t -> assertThat(t.getWidth()).isEqualTo(64));
    assertThat(stdout()).contains("15 frames, 3 audio chunks, 0 caption cues, 3 thumbnails");

    opened.clear();
    assertThat(ingest("--source", clip.toString(), "--stream-id", "cli-11", "--thumbnails", "--thumbnail-every-ms", "20")).isEqualTo(1);
    assertThat(stderr()).contains("ingest: --thumbnail-every-ms must be at least 100, not 20");
    assertThat(opened).as("nothing is opened or published").isEmpty();
  }

  @Test
  void faceDetectorChoosesTheSpecAndAnUnknownOneIsAUsageError() {
    int code = ingest("--source", clip.toString(), "--stream-id", "cli-6", "--face-detector", "full-range");

    assertThat(code).isEqualTo(0);
    assertThat(onlySink().frames()).isNotEmpty()
        .allSatisfy(f -> assertThat(f.getSpecId()).contains("detector=blazeface-back256"));
    assertThat(ingest("--source", clip.toString(), "--stream-id", "cli-7", "--face-detector", "medium")).isEqualTo(2);
    assertThat(stderr()).contains("--face-detector medium is not a BlazeFace model: use short-range or full-range");
  }

  @Test
  void captionsWithoutSourceAreATranscriptOnlyStreamThatDeclaresItsOneModality() {
    Path srt = TestMedia.srt(dir, 3.0);

    int code = ingest("--captions", srt.toString(), "--stream-id", "cli-8", "--origin-ms", "1700000000000");

    assertThat(code).isZero();
    assertThat(stdout()).contains("cli-8: 2.9 s of media").contains("2 stream events, 0 frames, 0 audio chunks, 2 caption cues");
    var sink = onlySink();
    assertThat(sink.events().get(0).getModalities()).containsExactly(Modality.TEXT);
    assertThat(sink.events().get(0).getSource()).isEqualTo(srt.toString());
    assertThat(sink.events().get(1).getMediaEndMs()).isEqualTo(TestMedia.cueEndMs(1));
    assertThat(sink.tokens()).extracting(t -> t.getCueStartMs()).containsExactly(TestMedia.cueStartMs(0), TestMedia.cueStartMs(1));
  }

  @Test
  void captionsFromStandardInputAreReadLineByLineTimedOrStampedOnArrival() {
    String lines = "0.5\t2.0\twhat a lovely day\n\nno tabs here, stamped when it arrives\n3\toops\n4.0\t3.0\tbackwards\n";
    long before = System.currentTimeMillis();

    int code = ingest(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
        "--captions", "-", "--stream-id", "cli-9", "--origin-ms", Long.toString(before - 10_000));

    assertThat(code).isZero();
    var sink = onlySink();
    assertThat(sink.events()).extracting(StreamEvent::getType).containsExactly(StreamEventType.START, StreamEventType.END);
    assertThat(sink.events().get(0).getModalities()).containsExactly(Modality.TEXT);
    assertThat(sink.tokens()).hasSize(2);
    assertThat(sink.tokens().get(0).getCueStartMs()).isEqualTo(500);
    assertThat(sink.tokens().get(0).getCueEndMs()).isEqualTo(2000);
    long stamped = sink.tokens().get(1).getCueStartMs();
    assertThat(stamped).as("arrival time after the origin").isBetween(10_000L, System.currentTimeMillis() - before + 10_000);
    assertThat(sink.tokens().get(1).getCueEndMs() - stamped).as("seven words at three a second").isEqualTo(2333);
    assertThat(stderr()).contains("warning: transcript line 4 skipped: a line with tabs must be START<TAB>END<TAB>TEXT")
        .contains("warning: transcript line 5 skipped: its end 3.0 s is before its start 4.0 s");
  }

  @Test
  void noSourceAndNoCaptionsOrStdinWithASourceAreUsageErrors() {
    assertThat(ingest("--stream-id", "cli-10")).isEqualTo(2);
    assertThat(stderr()).contains("give --source (media), --captions (a transcript-only stream) or both");
    assertThat(ingest("--source", clip.toString(), "--captions", "-", "--stream-id", "cli-11")).isEqualTo(2);
    assertThat(stderr()).contains("--captions - makes a transcript-only stream: leave out --source");
    assertThat(opened).isEmpty();
  }

  private int ingest(String... args) {
    return ingest(InputStream.nullInputStream(), args);
  }

  private int ingest(InputStream stdin, String... args) {
    SinkFactory sinks = (bootstrap, client, topics, originMs, outage, report) -> {
      var sink = new CollectingSink();
      opened.add(sink);
      return sink;
    };
    var main = new IngestMain(sinks, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--models-dir", TestMedia.modelsDir().toString()));
    return IngestMain.commandLine(main).execute(all.toArray(String[]::new));
  }

  private CollectingSink onlySink() {
    assertThat(opened).hasSize(1);
    return opened.get(0);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
