package dev.mmstream.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedSubtitleReaderTest {

  private static final String SRT = String.join("\n",
      "1",
      "00:00:00,500 --> 00:00:01,250",
      "<i>Hello</i> there,",
      "second line",
      "",
      "2",
      "00:00:01,400 --> 00:00:01,900",
      "Café, naïve & 😀",
      "");

  @TempDir static Path dir;
  private static Path subs;

  @BeforeAll
  static void writeSubtitles() throws Exception {
    subs = Files.write(dir.resolve("subs.srt"), SRT.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsMovTextFromMp4() throws Exception {
    Path mp4 = FfmpegCli.clip(dir.resolve("movtext.mp4"), "-i", subs.toString(),
        "-c:s", "mov_text");

    ParsedCaptions parsed = EmbeddedSubtitleReader.read(mp4);

    assertThat(parsed.cues()).containsExactly(
        new Cue(0, 500, 1_250, "Hello there, second line"),
        new Cue(1, 1_400, 1_900, "Café, naïve & 😀"));
    assertThat(parsed.warnings()).isEmpty();
  }

  @Test
  void readsSubripFromMkv() throws Exception {
    Path mkv = FfmpegCli.clip(dir.resolve("subrip.mkv"), "-i", subs.toString(), "-c:s", "srt");

    assertThat(EmbeddedSubtitleReader.read(mkv).cues()).containsExactly(
        new Cue(0, 500, 1_250, "Hello there, second line"),
        new Cue(1, 1_400, 1_900, "Café, naïve & 😀"));
  }

  @Test
  void readsTheFirstOfTwoSubtitleStreams() throws Exception {
    Path other = Files.writeString(dir.resolve("other.vtt"),
        "WEBVTT\n\n00:00.100 --> 00:00.200\nsecond track\n");
    Path mkv = FfmpegCli.clip(dir.resolve("two.mkv"), "-i", other.toString(), "-i",
        subs.toString(), "-map", "0:v", "-map", "1:s", "-map", "2:s", "-c:s", "webvtt");

    assertThat(EmbeddedSubtitleReader.read(mkv).cues())
        .containsExactly(new Cue(0, 100, 200, "second track"));
  }

  @Test
  void returnsNoCuesForMediaWithoutSubtitles() throws Exception {
    Path mp4 = FfmpegCli.clip(dir.resolve("plain.mp4"));

    assertThat(EmbeddedSubtitleReader.read(mp4)).isEqualTo(ParsedCaptions.empty());
  }

  @Test
  void rejectsMissingAndUndecodableFilesNamingThem() throws Exception {
    Path missing = dir.resolve("missing.mp4");
    Path garbage = Files.writeString(dir.resolve("garbage.mp4"), "not a media file at all");

    assertThatThrownBy(() -> EmbeddedSubtitleReader.read(missing))
        .isInstanceOf(CaptionException.class)
        .hasMessage(missing + ": media file not found; check the path");
    assertThatThrownBy(() -> EmbeddedSubtitleReader.read(garbage))
        .isInstanceOf(CaptionException.class)
        .hasMessageStartingWith(garbage + ": FFmpeg cannot open media (");
  }
}
