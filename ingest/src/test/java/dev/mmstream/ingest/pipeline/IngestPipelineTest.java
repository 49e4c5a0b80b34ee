package dev.mmstream.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mmstream.ingest.publish.CollectingSink;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.TokenFeatures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a real clip made here: the records match what the clip holds. */
class IngestPipelineTest {
  private static final double SECONDS = 5.0;
  private static final long ORIGIN_MS = 1_700_000_000_000L;

  @TempDir static Path dir;
  private static Path clip;
  private static Path srt;
  private static Featurizers featurizers;

  @BeforeAll
  static void makeClipAndLoadModels() {
    clip = TestMedia.clip(dir, "clip.mkv", SECONDS, 160, 120, 25);
    srt = TestMedia.srt(dir, SECONDS);
    featurizers = Featurizers.forTask(TestMedia.modelsDir(), Task.EMOTION);
  }

  @AfterAll
  static void closeModels() {
    featurizers.close();
  }

  static IngestOutcome ingest(Featurizers featurizers, StreamRequest request, double fps, CollectingSink sink)
      throws InterruptedException {
    var pipeline = new IngestPipeline(featurizers, new DecoderOptions(fps, Duration.ofSeconds(5)), Pacer.AS_FAST_AS_POSSIBLE, ms -> {});
    return pipeline.run(request, sink);
  }

  static StreamRequest request(String streamId, Path media, Path captions) {
    return new StreamRequest(streamId, SourceUri.parse(media.toString()), Optional.ofNullable(captions), Task.EMOTION,
        Map.of("title", "test pattern"), ORIGIN_MS);
  }

  @Test
  void publishesFramesAtTheSamplingRateAudioForTheWholeClipAndOneRecordPerCue() throws Exception {
    var sink = new CollectingSink();

    IngestOutcome outcome = ingest(featurizers, request("clip-1", clip, srt), 5.0, sink);

    assertThat(outcome).isInstanceOf(IngestOutcome.Completed.class);
    assertThat(sink.frames()).hasSizeBetween(24, 26); // 5 s at 5 fps, +-1
    assertThat(sink.frames()).extracting(FrameFeatures::getFrameIndex)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, sink.frames().size()).boxed().toList());
    for (FrameFeatures f : sink.frames()) {
      // the first 25 fps frame at or after each 200 ms tick
      assertThat(f.getPtsMs()).isCloseTo(200L * f.getFrameIndex(), within(40L));
      assertThat(f.getStreamId()).isEqualTo("clip-1");
      assertThat(f.getWidth()).isEqualTo(160);
    }

    assertThat(audioDurationMs(sink.audio())).isCloseTo(5000L, within(10L));
    assertThat(sink.audio()).hasSize(5); // 1 s records
    for (int k = 0; k < sink.audio().size(); k++) {
      assertThat(sink.audio().get(k).getStartMs()).isEqualTo(1000L * k);
    }
    // speech in the first 2.5 s, silence after: the pitch tracker hears a voice only there
    assertThat(voicedFrames(sink.audio().get(0)) + voicedFrames(sink.audio().get(1))).isGreaterThan(20);
    assertThat(voicedFrames(sink.audio().get(4))).isZero();

    int cues = TestMedia.cueCount(SECONDS);
    assertThat(cues).isEqualTo(3);
    assertThat(sink.tokens()).hasSize(cues);
    for (int i = 0; i < cues; i++) {
      TokenFeatures cue = sink.tokens().get(i);
      String text = TestMedia.CUE_TEXTS.get(i);
      assertThat(cue.getText()).isEqualTo(text);
      assertThat(cue.getCueStartMs()).isEqualTo(TestMedia.cueStartMs(i));
      assertThat(cue.getCueEndMs()).isEqualTo(TestMedia.cueEndMs(i));
      // every word of these cues is one WordPiece of the MiniLM vocabulary
      assertThat(cue.getTokens()).containsExactlyElementsOf(Arrays.asList(text.split(" ")));
      assertThat(cue.getEmbeddings().getRows()).isEqualTo(cue.getTokens().size());
      assertThat(cue.getStreamId()).isEqualTo("clip-1");
    }

    assertThat(sink.events()).extracting(e -> e.getType()).containsExactly(StreamEventType.START, StreamEventType.END);
    assertThat(sink.events().get(0).getMetadata()).containsEntry("title", "test pattern");
    assertThat(sink.events().get(1).getReason()).isNull();
    assertThat(sink.events().get(1).getMediaEndMs()).isCloseTo(5000L, within(10L));
    assertThat(sink.events()).allSatisfy(e -> assertThat(e.getOriginMs()).isEqualTo(ORIGIN_MS));
  }

  @Test
  void samplesFramesAtTheRequestedRate() throws Exception {
    var sink = new CollectingSink();

    ingest(featurizers, request("clip-2", clip, srt), 2.0, sink);

    assertThat(sink.frames()).hasSizeBetween(9, 11); // 5 s at 2 fps, +-1
    assertThat(sink.frames()).allSatisfy(f -> assertThat(f.getPtsMs()).isCloseTo(500L * f.getFrameIndex(), within(40L)));
  }

  static long audioDurationMs(List<AudioFeatures> audio) {
    return audio.stream().mapToLong(a -> (long) a.getLogmel().getRows() * a.getHopMs()).sum();
  }

  private static long voicedFrames(AudioFeatures chunk) {
    List<Float> prosody = chunk.getProsody().getValues();
    long voiced = 0;
    for (int r = 0; r < chunk.getProsody().getRows(); r++) {
      if (prosody.get(r * 3) > 0) {
        voiced++;
      }
    }
    return voiced;
  }
}
