package dev.mmstream.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmstream.ingest.publish.CollectingSink;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.InvalidSourceException;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.ingest.testing.LoopbackServer;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources that are broken, partial or unusual: each either works or fails with a reason a user can
 * act on, END always follows START, and whatever was decoded before a break is published.
 */
class BadInputTest {
  private static final double SECONDS = 4.0;
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @TempDir static Path dir;
  private static Path mp4;
  private static Featurizers featurizers;

  @BeforeAll
  static void makeMediaAndLoadModels() {
    mp4 = TestMedia.mp4(dir, "clip.mp4", SECONDS, 160, 120, 25);
    featurizers = Featurizers.forTask(TestMedia.modelsDir(), Task.EMOTION);
  }

  @AfterAll
  static void closeModels() {
    featurizers.close();
  }

  @Test
  void zeroByteFileIsRefusedBeforeAnythingIsPublished() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));

    assertThatThrownBy(() -> SourceUri.parse(empty.toString()))
        .isInstanceOf(InvalidSourceException.class)
        .hasMessageContaining("empty.mp4 is empty (0 bytes)");
  }

  @Test
  void fileCutInHalfKeepsWhatWasDecodedAndSaysItIsTruncated() throws Exception {
    Path half = cutInHalf(mp4, "half.mp4");
    var sink = new CollectingSink();

    IngestOutcome outcome = ingest(half, sink);

    assertThat(outcome).isInstanceOf(IngestOutcome.Failed.class);
    assertThat(((IngestOutcome.Failed) outcome).reason()).contains("truncated").contains("4.0 s");
    assertThat(startThenEnd(sink).getReason()).contains("truncated");
    // about the first half of the 4 s clip: 5 fps sampling, audio in 1 s records plus the partial last one
    assertThat(sink.frames()).hasSizeBetween(5, 15);
    assertThat(IngestPipelineTest.audioDurationMs(sink.audio())).isBetween(1000L, 3000L);
    assertThat(sink.events().get(1).getMediaEndMs()).isBetween(1000L, 3000L);
  }

  @Test
  void fileCutInHalfWithItsIndexAtTheEndCannotBeOpened() throws Exception {
    Path tailIndex = TestMedia.ffmpeg(dir.resolve("tail-index.mp4"), "-i", mp4.toString(), "-c", "copy");
    Path half = cutInHalf(tailIndex, "half-tail-index.mp4");
    var sink = new CollectingSink();

    IngestOutcome outcome = ingest(half, sink);

    assertThat(outcome).isInstanceOf(IngestOutcome.Failed.class);
    assertThat(((IngestOutcome.Failed) outcome).reason()).contains("half-tail-index.mp4").contains("cannot be opened as media")
        .contains("FFmpeg:").contains("moov atom not found");
    startThenEnd(sink);
    assertThat(sink.frames()).isEmpty();
  }

  @Test
  void textFileNamedMp4IsNotMedia() throws Exception {
    Path text = TestMedia.write(dir.resolve("notes.mp4"), "these are my shopping notes, not a video\n".repeat(50));
    var sink = new CollectingSink();

    IngestOutcome outcome = ingest(text, sink);

    assertThat(outcome).isInstanceOf(IngestOutcome.Failed.class);
    assertThat(((IngestOutcome.Failed) outcome).reason()).contains("notes.mp4")
        .contains("cannot be opened as media: Invalid data found when processing input");
    startThenEnd(sink);
  }

  @Test
  void audioOnlyWavAndMp3GiveAudioAndNoFrames() throws Exception {
    for (String name : new String[] {"speech.wav", "speech.mp3"}) {
      Path audio = TestMedia.ffmpeg(dir.resolve(name), "-f", "lavfi", "-i", "sine=frequency=220:duration=3", "-ar", "44100");
      var sink = new CollectingSink();

      IngestOutcome outcome = ingest(audio, sink);

      assertThat(outcome).as(name).isInstanceOf(IngestOutcome.Completed.class);
      assertThat(sink.frames()).as(name).isEmpty();
      // MP3 frames hold 1152 samples; the encoder's padding is trimmed by the decoder
      assertThat(IngestPipelineTest.audioDurationMs(sink.audio())).as(name).isCloseTo(3000L, within(30L));
      assertThat(startThenEnd(sink).getReason()).isNull();
    }
  }

  @Test
  void videoOnlyGivesFramesAndNoAudio() throws Exception {
    Path video = TestMedia.ffmpeg(dir.resolve("video-only.mp4"), "-i", mp4.toString(), "-an", "-c", "copy");
    var sink = new CollectingSink();

    IngestOutcome outcome = ingest(video, sink);

    assertThat(outcome).isInstanceOf(IngestOutcome.Completed.class);
    assertThat(sink.frames()).hasSizeBetween(19, 21); // 4 s at 5 fps, +-1
    assertThat(sink.audio()).isEmpty();
    assertThat(startThenEnd(sink).getMediaEndMs()).isCloseTo(4000L, within(50L));
  }

  @Test
  void noCaptionsMeansNoTokenRecords() throws Exception {
    var sink = new CollectingSink();

    IngestOutcome outcome = ingest(mp4, sink);

    assertThat(outcome).isInstanceOf(IngestOutcome.Completed.class);
    assertThat(sink.tokens()).isEmpty();
    assertThat(outcome.warnings()).isEmpty();
    assertThat(sink.frames()).isNotEmpty();
  }

  @Test
  void malformedSrtSkipsTheBadCueAndTellsItsLine() throws Exception {
    Path srt = TestMedia.write(dir.resolve("broken.srt"), """
        1
        00:00:00,200 --> 00:00:01,400
        the cat sat on the mat

        2
        00:00:01,700 -> 00:00:02,900
        this cue has a broken arrow

        3
        00:00:03,000 --> 00:00:03,800
        good night
        """);
    var sink = new CollectingSink();

    IngestOutcome outcome = run(request(mp4, srt), sink, TIMEOUT);

    assertThat(outcome).isInstanceOf(IngestOutcome.Completed.class);
    assertThat(sink.tokens()).extracting(t -> t.getText()).containsExactly("the cat sat on the mat", "good night");
    assertThat(outcome.warnings()).singleElement().asString().contains("broken.srt").contains("line 5");
  }

  @Test
  void rtspServerThatNeverAnswersFailsWithinTheTimeout() throws Exception {
    try (var server = LoopbackServer.silent()) {
      var sink = new CollectingSink();
      long started = System.nanoTime();

      IngestOutcome outcome = run(request("rtsp://127.0.0.1:" + server.port() + "/live"), sink, TIMEOUT);

      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(elapsedMs).isLessThan(TIMEOUT.toMillis() + 1_000);
      assertThat(server.connections()).isPositive();
      assertThat(outcome).isInstanceOf(IngestOutcome.Failed.class);
      assertThat(((IngestOutcome.Failed) outcome).reason()).contains("rtsp://127.0.0.1:" + server.port())
          .contains("did not answer within");
      startThenEnd(sink);
    }
  }

  @Test
  void rtspPortThatRefusesFailsAtOnce() throws Exception {
    var sink = new CollectingSink();
    long started = System.nanoTime();

    IngestOutcome outcome = run(request("rtsp://127.0.0.1:" + LoopbackServer.refusedPort() + "/live"), sink, TIMEOUT);

    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(TIMEOUT.toMillis());
    assertThat(outcome).isInstanceOf(IngestOutcome.Failed.class);
    assertThat(((IngestOutcome.Failed) outcome).reason()).containsIgnoringCase("refused");
    startThenEnd(sink);
  }

  @Test
  void httpStreamThatDropsMidWayPublishesWhatCameBeforeAndEndsWithTheReason() throws Exception {
    byte[] bytes = Files.readAllBytes(mp4);
    try (var server = LoopbackServer.httpBreakingOff(bytes, bytes.length / 2)) {
      var sink = new CollectingSink();

      IngestOutcome outcome = run(request("http://127.0.0.1:" + server.port() + "/clip.mp4"), sink, TIMEOUT);

      assertThat(outcome).isInstanceOf(IngestOutcome.Failed.class);
      assertThat(startThenEnd(sink).getReason()).isNotBlank();
      assertThat(sink.frames()).hasSizeBetween(5, 15);
      assertThat(sink.audio()).isNotEmpty();
    }
  }

  private static Path cutInHalf(Path file, String name) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    return Files.write(dir.resolve(name), Arrays.copyOf(bytes, bytes.length / 2));
  }

  /** Checks that the stream has START then END and nothing else; returns END. */
  private static StreamEvent startThenEnd(CollectingSink sink) {
    assertThat(sink.events()).extracting(StreamEvent::getType).containsExactly(StreamEventType.START, StreamEventType.END);
    return sink.events().get(1);
  }

  private static IngestOutcome ingest(Path media, CollectingSink sink) throws InterruptedException {
    return run(request(media, null), sink, TIMEOUT);
  }

  private static StreamRequest request(Path media, Path captions) {
    return new StreamRequest("bad-1", SourceUri.parse(media.toString()), Optional.ofNullable(captions), Task.EMOTION, Map.of(), 0);
  }

  private static StreamRequest request(String uri) {
    return new StreamRequest("bad-1", SourceUri.parse(uri), Optional.empty(), Task.EMOTION, Map.of(), 0);
  }

  private static IngestOutcome run(StreamRequest request, CollectingSink sink, Duration timeout) throws InterruptedException {
    var pipeline = new IngestPipeline(featurizers, new DecoderOptions(5.0, timeout), Pacer.AS_FAST_AS_POSSIBLE, ms -> {});
    return pipeline.run(request, sink);
  }
}
