package dev.mmstream.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a trailer's poster comes from: the JSON's path (relative to the JSON), else NAME.jpg/.png beside it. */
class TrailerFolderTest {
  @TempDir Path dir;

  @Test
  void thePosterTheJsonNamesWinsOverOneBesideTheMediaAndBothAreWaitedFor() throws Exception {
    Files.createDirectory(dir.resolve("art"));
    Files.writeString(dir.resolve("art/key.jpg"), "jpeg");
    Files.writeString(dir.resolve("a.jpg"), "jpeg");
    Files.writeString(dir.resolve("a.mp4"), "media");
    Files.writeString(dir.resolve("a.json"), "{\"title\": \"A\", \"poster\": \"art/key.jpg\"}");
    Files.writeString(dir.resolve("b.mkv"), "media");
    Files.writeString(dir.resolve("b.png"), "png");
    Files.writeString(dir.resolve("c.webm"), "media");

    var trailers = new TrailerFolder(dir).scan();

    assertThat(trailers).extracting(Trailer::streamId).containsExactly("a", "b", "c");
    assertThat(trailers.get(0).metadata()).containsEntry("poster", dir.resolve("art/key.jpg").toAbsolutePath().toString());
    assertThat(trailers.get(1).metadata()).containsEntry("poster", dir.resolve("b.png").toAbsolutePath().toString());
    assertThat(trailers.get(2).metadata()).doesNotContainKey("poster");
    assertThat(TrailerFolder.filesOf(trailers.get(0))).as("the settle gate waits for the poster too")
        .contains(dir.resolve("art/key.jpg").toAbsolutePath(), dir.resolve("a.json"));
    assertThat(TrailerFolder.filesOf(trailers.get(1))).contains(dir.resolve("b.png"));
  }
}
