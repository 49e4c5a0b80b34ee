package dev.mmstream.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmstream.schema.v1.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest checks that need no decoding: only the files' existence and the metadata JSON are read. */
class ManifestTest {
  @TempDir Path dir;

  @BeforeEach
  void files() throws IOException {
    Files.createDirectories(dir.resolve("media"));
    Files.writeString(dir.resolve("media/a.mp4"), "not decoded here");
    Files.writeString(dir.resolve("media/b, with comma.mp4"), "not decoded here");
    Files.writeString(dir.resolve("genre.json"), "{\"task\": \"genre\", \"plot\": \"A heist.\", \"year\": 1999}");
    Files.writeString(dir.resolve("emotion.json"), "{\"task\": \"emotion\"}");
    Files.writeString(dir.resolve("broken.json"), "{\"task\": ");
  }

  @Test
  void aHeaderWithoutARequiredColumnIsRefusedAsAWhole() throws IOException {
    Path manifest = write("clip_id,media_path,labels\n", "a,media/a.mp4,happy\n");

    assertThatThrownBy(() -> Manifest.read(manifest, Optional.empty()))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("line 1 (the header) lacks the column(s) [split]");
  }

  @Test
  void aManifestWithoutRowsIsRefused() throws IOException {
    Path manifest = write("clip_id,media_path,labels,split\n\n");

    assertThatThrownBy(() -> Manifest.read(manifest, Optional.empty()))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("has a header but no clip rows");
  }

  @Test
  void quotedFieldsCrlfAndAnyColumnOrderAreRead() throws IOException {
    Path manifest = write("\uFEFFsplit,labels,media_path,clip_id,extra\r\n", "train,\"Sad; happy\",\"media/b, with comma.mp4\",b,x\r\n");

    Manifest m = Manifest.read(manifest, Optional.empty());

    assertThat(m.errors()).isEmpty();
    assertThat(m.clips()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("b");
      assertThat(c.media()).contains(dir.resolve("media/b, with comma.mp4"));
      assertThat(c.attributes()).as("extra columns travel with the clip").containsExactly(Map.entry("extra", "x"));
      assertThat(c.labels()).as("lower case, in label-set order").containsExactly("happy", "sad");
      assertThat(c.captions()).isEmpty();
      assertThat(m.task()).as("no metadata: emotion").isEqualTo(Task.EMOTION);
    });
  }

  @Test
  void theFirstClipsMetadataTaskDecidesAndClipsOfTheOtherTaskAreRefused() throws IOException {
    Path manifest = write(
        "clip_id,media_path,captions_path,metadata_path,labels,split\n",
        "g1,media/a.mp4,,genre.json,drama;sci-fi,train\n",
        "e1,media/a.mp4,,emotion.json,drama,train\n",
        "g2,media/a.mp4,,broken.json,drama,val\n",
        "g3,media/a.mp4,missing.srt,,horror,test\n");

    Manifest m = Manifest.read(manifest, Optional.empty());

    assertThat(m.task()).isEqualTo(Task.GENRE);
    assertThat(m.clips()).extracting(Clip::id).containsExactly("g1");
    assertThat(m.clips().get(0).metadata()).containsEntry("plot", "A heist.").containsEntry("year", "1999");
    assertThat(m.errors()).extracting(ClipError::clipId).containsExactly("e1", "g2", "g3");
    assertThat(m.errors().get(0).reason()).isEqualTo("manifest line 3: its metadata says task emotion but this dataset is genre"
        + " (the first clip's task): extract each task into its own --out");
    assertThat(m.errors().get(1).reason()).startsWith("manifest line 4: metadata file ").contains("broken.json is not readable JSON");
    assertThat(m.errors().get(2).reason()).contains("captions_path " + dir.resolve("missing.srt") + " does not exist");
  }

  @Test
  void aRowCollectsEveryProblemItHas() throws IOException {
    Path manifest = write("clip_id,media_path,labels,split\n", "../escape,,joy,dev\n", "short\n");

    Manifest m = Manifest.read(manifest, Optional.of(Task.EMOTION));

    assertThat(m.clips()).isEmpty();
    assertThat(m.errors().get(0).reason())
        .startsWith("manifest line 2: clip id '../escape' may only hold letters, digits")
        .contains("media_path and captions_path are both empty: a clip needs media, captions (a text-only clip) or both",
            "split 'dev' is not train, val or test", "unknown label 'joy' for task emotion");
    assertThat(m.errors().get(1).reason()).startsWith("manifest line 3: the row has 1 fields but the header has 4 columns");
  }

  @Test
  void aRowWithCaptionsAndNoMediaIsATextOnlyClip() throws IOException {
    Files.writeString(dir.resolve("line.srt"), "1\n00:00:00,000 --> 00:00:02,000\nOh my God!\n");
    Path manifest = write("clip_id,media_path,captions_path,labels,split,source,source_label\n",
        "t1,,line.srt,surprise,test,meld,surprise\n", "t2,,,happy,train,meld,joy\n");

    Manifest m = Manifest.read(manifest, Optional.empty());

    assertThat(m.extraColumns()).containsExactly("source", "source_label");
    assertThat(m.clips()).singleElement().satisfies(c -> {
      assertThat(c.media()).isEmpty();
      assertThat(c.captions()).contains(dir.resolve("line.srt"));
      assertThat(c.attributes()).containsEntry("source", "meld").containsEntry("source_label", "surprise");
    });
    assertThat(m.errors()).singleElement().extracting(ClipError::reason).asString()
        .contains("media_path and captions_path are both empty");
  }

  private Path write(String... lines) throws IOException {
    Path manifest = dir.resolve("manifest.csv");
    Files.writeString(manifest, String.join("", lines));
    return manifest;
  }
}
