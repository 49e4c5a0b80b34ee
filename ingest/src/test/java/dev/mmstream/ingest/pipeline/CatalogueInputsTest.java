package dev.mmstream.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.align.WindowAssembler;
import dev.mmstream.ingest.catalogue.CatalogueFeaturizer;
import dev.mmstream.ingest.catalogue.MetadataVector;
import dev.mmstream.ingest.publish.CollectingSink;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.ingest.video.VideoOptions;
import dev.mmstream.schema.v1.CatalogueFeatures;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trailer's poster and metadata become the catalogue inputs its START carries, through the real frame
 * featurizer (a real photo of a person as the poster) and the real text encoder.
 */
class CatalogueInputsTest {
  /** FrameVectorizer's layout: 7 expressions, 256 embedding, 4 box, the score, then the has-face flag. */
  private static final int HAS_FACE = 7 + 256 + 4 + 1;

  @TempDir static Path dir;
  private static Featurizers featurizers;
  private static Path trailer;

  @BeforeAll
  static void load() {
    featurizers = Featurizers.forTask(TestMedia.modelsDir(), Task.GENRE);
    trailer = TestMedia.clip(dir, "trailer.mkv", 2.0, 160, 120, 25);
  }

  @AfterAll
  static void close() {
    featurizers.close();
  }

  @Test
  void posterThroughTheFrameFeaturizerAndMetadataAsOneVector() throws Exception {
    Path poster = TestMedia.modelsDir().resolve("node_modules/@vladmandic/face-api/demo/sample1.jpg");
    var metadata = Map.of("poster", poster.toString(), "year", "2014", "runtime", "94", "title", "Happy Holiday",
        "plot", "A family road trip becomes the adventure of a lifetime.", "labels", "[\"drama\"]");

    CatalogueFeatures c = start(ingest(metadata, Task.GENRE)).getCatalogue();

    VideoOptions video = VideoOptions.forTask(Task.GENRE);
    assertThat(c.getPoster()).hasSize(WindowAssembler.videoDimension(video.histogramBins()));
    assertThat(c.getPoster().get(HAS_FACE)).as("the poster's face was found").isEqualTo(1f);
    assertThat(c.getMetadata()).hasSize(MetadataVector.DIMENSION);
    assertThat(c.getMetadata().subList(0, 6)).containsExactly(1.4f, 1f, -0.3f, 1f, 1f, 1f);
    var title = c.getMetadata().subList(6, 390);
    var plot = c.getMetadata().subList(390, 774);
    assertThat(title).as("a title embedding").anyMatch(v -> Math.abs(v) > 0.05f);
    assertThat(title).as("the title's, not the plot's").isNotEqualTo(plot);
    assertThat(c.getSpecIds()).containsOnly(
        Map.entry("poster", CatalogueFeaturizer.posterSpecId(video.specId())),
        Map.entry("metadata", MetadataVector.specId(featurizers.text().spec().id())));
  }

  @Test
  void anUnreadablePosterIsReportedAndTheTrailerGoesOnWithItsMetadata() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.jpg"), "not a JPEG");
    var sink = new CollectingSink();
    var outcome = pipeline().run(request(Map.of("poster", broken.toString(), "year", "1999"), Task.GENRE), sink);

    assertThat(outcome).isInstanceOf(IngestOutcome.Completed.class);
    assertThat(outcome.warnings()).anyMatch(w -> w.contains("poster " + broken) && w.contains("without its poster"));
    CatalogueFeatures c = start(sink).getCatalogue();
    assertThat(c.getPoster()).isNull();
    assertThat(c.getMetadata().subList(0, 6)).containsExactly(-0.1f, 1f, 0f, 0f, 0f, 0f);
    assertThat(c.getSpecIds()).containsOnlyKeys("metadata");
  }

  @Test
  void noCatalogueWithoutItsFieldsOrForEmotion() throws Exception {
    assertThat(start(ingest(Map.of("source", "camera 2"), Task.GENRE)).getCatalogue()).isNull();
    assertThat(start(ingest(Map.of("title", "Happy Holiday"), Task.EMOTION)).getCatalogue()).isNull();
  }

  private static CollectingSink ingest(Map<String, String> metadata, Task task) throws InterruptedException {
    var sink = new CollectingSink();
    assertThat(pipeline().run(request(metadata, task), sink)).isInstanceOf(IngestOutcome.Completed.class);
    return sink;
  }

  private static IngestPipeline pipeline() {
    return new IngestPipeline(featurizers, new DecoderOptions(5, Duration.ofSeconds(5)), Pacer.AS_FAST_AS_POSSIBLE, ms -> {});
  }

  private static StreamRequest request(Map<String, String> metadata, Task task) {
    return new StreamRequest("trailer-1", SourceUri.parse(trailer.toString()), Optional.empty(), task,
        new HashMap<>(metadata), 1_700_000_000_000L);
  }

  private static StreamEvent start(CollectingSink sink) {
    List<StreamEvent> starts = sink.events().stream().filter(e -> e.getType() == StreamEventType.START).toList();
    assertThat(starts).hasSize(1);
    return starts.get(0);
  }
}
