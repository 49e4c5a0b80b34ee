package dev.mmstream.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmstream.ingest.publish.CollectingSink;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.testing.TestMedia;
import dev.mmstream.ingest.video.ThumbnailSampler;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.Thumbnail;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thumbnails through the whole pipeline on real media: a clip of a real photo of a person (a face in every
 * frame) and a test pattern (none). About one a second of media, decodable JPEGs, each with its frame's face.
 */
class ThumbnailsTest {
  private static final double SECONDS = 3.0;

  @TempDir static Path dir;
  private static Featurizers featurizers;

  @BeforeAll
  static void loadModels() {
    featurizers = Featurizers.forTask(TestMedia.modelsDir(), Task.EMOTION);
  }

  @AfterAll
  static void closeModels() {
    featurizers.close();
  }

  @Test
  void oneJpegASecondOfMediaWithTheFaceItsFrameFound() throws Exception {
    Path video = TestMedia.faceVideo(dir, "face.mkv", SECONDS, 25);
    CollectingSink sink = ingest(video, ThumbnailSampler.Options.DEFAULT);

    assertThat(sink.thumbnails()).extracting(Thumbnail::getPtsMs).containsExactly(0L, 1000L, 2000L);
    Map<Long, FrameFeatures> frames = sink.frames().stream().collect(Collectors.toMap(FrameFeatures::getPtsMs, Function.identity()));
    for (Thumbnail t : sink.thumbnails()) {
      BufferedImage image = decode(t.getJpeg());
      FrameFeatures frame = frames.get(t.getPtsMs());
      assertThat(image.getWidth()).isEqualTo(t.getWidth()).isEqualTo(320);
      assertThat(image.getHeight()).isEqualTo(t.getHeight()).isEqualTo(Math.round(frame.getHeight() * 320f / frame.getWidth()));
      assertThat(frame.getFace()).as("the frame at %d ms has a face", t.getPtsMs()).isNotNull();
      assertThat(t.getFace()).as("thumbnail at %d ms", t.getPtsMs()).isNotNull();
      assertThat(t.getFace().getBox()).isEqualTo(frame.getFace().getBox());
      assertThat(t.getFace().getScore()).isEqualTo(frame.getFace().getScore());
      assertThat(t.getJpeg().remaining()).as("a small JPEG").isBetween(2_000, 60_000);
    }
    // the face's pixels are in the picture: the box's inside is brighter and more varied than a flat frame
    Thumbnail first = sink.thumbnails().get(0);
    assertThat(contrast(decode(first.getJpeg()), first.getFace().getBox().stream().mapToDouble(Float::doubleValue).toArray()))
        .as("grey-level spread inside the face box").isGreaterThan(15.0);
  }

  @Test
  void everyAndWidthAreTheCallersAndAFrameWithoutAFaceHasNone() throws Exception {
    Path pattern = TestMedia.clip(dir, "pattern.mkv", SECONDS, 160, 120, 25);
    CollectingSink sink = ingest(pattern, new ThumbnailSampler.Options(Duration.ofMillis(500), 80, 75));

    assertThat(sink.thumbnails()).extracting(Thumbnail::getPtsMs).containsExactly(0L, 600L, 1200L, 1800L, 2400L);
    assertThat(sink.thumbnails()).allSatisfy(t -> {
      assertThat(t.getFace()).isNull();
      assertThat(decode(t.getJpeg()).getWidth()).isEqualTo(80);
      assertThat(t.getHeight()).isEqualTo(60);
    });
  }

  @Test
  void noThumbnailsUnlessAskedFor() throws Exception {
    Path pattern = TestMedia.clip(dir, "plain.mkv", 1.0, 160, 120, 25);
    var sink = new CollectingSink();
    var pipeline = new IngestPipeline(featurizers, new DecoderOptions(5, Duration.ofSeconds(5)), Pacer.AS_FAST_AS_POSSIBLE, ms -> {});
    pipeline.run(IngestPipelineTest.request("plain/1", pattern, null), sink);

    assertThat(sink.frames()).isNotEmpty();
    assertThat(sink.thumbnails()).isEmpty();
  }

  @Test
  void optionsOutOfRangeAreRefusedWithTheFlagToChange() {
    assertThatThrownBy(() -> new ThumbnailSampler.Options(Duration.ofMillis(10), 320, 75))
        .hasMessageContaining("--thumbnail-every-ms must be at least 100");
    assertThatThrownBy(() -> new ThumbnailSampler.Options(Duration.ofSeconds(1), 4000, 75))
        .hasMessageContaining("--thumbnail-width must be between 32 and 1920");
  }

  private static CollectingSink ingest(Path media, ThumbnailSampler.Options options) throws InterruptedException {
    var sink = new CollectingSink();
    var pipeline = new IngestPipeline(featurizers, new DecoderOptions(5, Duration.ofSeconds(5)), Pacer.AS_FAST_AS_POSSIBLE, ms -> {})
        .withThumbnails(options);
    assertThat(pipeline.run(IngestPipelineTest.request(media.getFileName() + "/1", media, null), sink))
        .isInstanceOf(IngestOutcome.Completed.class);
    return sink;
  }

  private static BufferedImage decode(ByteBuffer jpeg) {
    try {
      var bytes = new byte[jpeg.remaining()];
      jpeg.duplicate().get(bytes);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertThat(image).as("a decodable JPEG").isNotNull();
      return image;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Standard deviation of the grey level inside a box given in fractions. */
  private static double contrast(BufferedImage image, double[] box) {
    int x0 = (int) (box[0] * image.getWidth());
    int y0 = (int) (box[1] * image.getHeight());
    int x1 = (int) ((box[0] + box[2]) * image.getWidth());
    int y1 = (int) ((box[1] + box[3]) * image.getHeight());
    double sum = 0;
    double squares = 0;
    int n = 0;
    for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
      for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
        int rgb = image.getRGB(x, y);
        double grey = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3.0;
        sum += grey;
        squares += grey * grey;
        n++;
      }
    }
    assertThat(n).as("pixels inside the box").isGreaterThan(100);
    double mean = sum / n;
    return Math.sqrt(squares / n - mean * mean);
  }
}
