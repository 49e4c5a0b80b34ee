package dev.mmstream.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionFilesTest {

  @TempDir Path dir;

  @Test
  void picksTheParserByExtension() throws IOException {
    Path srt = write("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nsrt cue\n");
    Path vtt = write("a.VTT", "WEBVTT\n\n00:01.000 --> 00:02.000\nvtt cue\n");

    assertThat(CaptionFiles.read(srt).cues()).containsExactly(new Cue(0, 1_000, 2_000, "srt cue"));
    assertThat(CaptionFiles.read(vtt).cues()).containsExactly(new Cue(0, 1_000, 2_000, "vtt cue"));
  }

  @Test
  void sniffsTheFormatWithoutAKnownExtension() throws IOException {
    Path vtt = write("captions.txt", "\uFEFFWEBVTT\n\nNOTE x\n\n00:01.000 --> 00:02.000\nvtt\n");
    Path srt = write("captions.sub", "1\n00:00:01,000 --> 00:00:02,000\nsrt\n");

    assertThat(CaptionFormat.of(vtt, Files.readString(vtt))).isEqualTo(CaptionFormat.WEBVTT);
    assertThat(CaptionFormat.of(srt, Files.readString(srt))).isEqualTo(CaptionFormat.SRT);
    assertThat(CaptionFiles.read(vtt).warnings()).isEmpty();
    assertThat(CaptionFiles.read(srt).cues()).extracting(Cue::text).containsExactly("srt");
  }

  @Test
  void rejectsAnEmptyFileNamingIt() throws IOException {
    Path empty = write("empty.srt", "");

    assertThatThrownBy(() -> CaptionFiles.read(empty))
        .isInstanceOf(CaptionException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("no valid SRT cue")
        .hasMessageContaining("no cue blocks");
  }

  @Test
  void rejectsAFileWhoseCuesAreAllBrokenAndSaysWhy() throws IOException {
    Path broken = write("broken.vtt", "WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nbackwards\n");

    assertThatThrownBy(() -> CaptionFiles.read(broken))
        .isInstanceOf(CaptionException.class)
        .hasMessageContaining("no valid WEBVTT cue")
        .hasMessageContaining("line 3: cue ends (1000 ms) before it starts (2000 ms)");
  }

  @Test
  void rejectsAMissingFileNamingIt() {
    Path missing = dir.resolve("nope.srt");

    assertThatThrownBy(() -> CaptionFiles.read(missing))
        .isInstanceOf(CaptionException.class)
        .hasMessage(missing + ": caption file not found; check the path");
  }

  @Test
  void rejectsADirectoryAsUnreadable() {
    assertThatThrownBy(() -> CaptionFiles.read(dir))
        .isInstanceOf(CaptionException.class)
        .hasMessageStartingWith(dir + ": cannot read caption file");
  }

  private Path write(String name, String content) throws IOException {
    return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
  }
}
