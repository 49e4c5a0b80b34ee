package dev.mmstream.ingest.catalogue;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import dev.mmstream.align.FrameVectorizer;
import dev.mmstream.ingest.transcript.Cue;
import dev.mmstream.ingest.transcript.TokenFeaturizer;
import dev.mmstream.ingest.video.VideoFeaturizer;
import dev.mmstream.schema.v1.CatalogueFeatures;
import dev.mmstream.schema.v1.TokenFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A trailer's catalogue entry (its metadata JSON's {@code poster}, {@code year}, {@code runtime}, {@code title},
 * {@code plot}) as the genre model's catalogue inputs: the poster through the same frame featurizer as the
 * trailer's frames, and the {@link MetadataVector}. Other fields of the JSON (a corpus's labels, say) are never
 * read. A poster that cannot be read leaves the poster input absent and says why; the trailer goes on.
 */
public final class CatalogueFeaturizer {
  private final Function<String, VideoFeaturizer> frames;
  private final Supplier<TokenFeaturizer> text;

  /**
   * @param frames a fresh frame featurizer for a stream id (the genre task's video options)
   * @param text the shared text encoder (loaded on first use)
   */
  public CatalogueFeaturizer(Function<String, VideoFeaturizer> frames, Supplier<TokenFeaturizer> text) {
    this.frames = frames;
    this.text = text;
  }

  /** The inputs, or null features when the metadata has none of the fields; problems say what was skipped. */
  public record Described(CatalogueFeatures features, List<String> problems) {
    public Described {
      problems = List.copyOf(problems);
    }
  }

  public Described describe(String streamId, Map<String, String> metadata) {
    var problems = new ArrayList<String>();
    var specIds = new LinkedHashMap<String, String>();
    List<Float> poster = poster(streamId, metadata.get("poster"), specIds, problems);
    List<Float> meta = metadata(metadata, specIds);
    if (poster == null && meta == null) {
      return new Described(null, problems);
    }
    return new Described(CatalogueFeatures.newBuilder().setPoster(poster).setMetadata(meta).setSpecIds(specIds).build(),
        problems);
  }

  private List<Float> poster(String streamId, String path, Map<String, String> specIds, List<String> problems) {
    if (path == null || path.isBlank()) {
      return null;
    }
    if (!Files.isRegularFile(Path.of(path))) {
      problems.add("poster " + path + " is not a file; the trailer is scored without its poster");
      return null;
    }
    try (Mat image = imread(path, IMREAD_COLOR); VideoFeaturizer featurizer = frames.apply(streamId)) {
      if (image.empty()) {
        problems.add("poster " + path + " is not an image OpenCV can decode; the trailer is scored without its poster");
        return null;
      }
      float[] vector = FrameVectorizer.vector(featurizer.describe(image, 0, 0));
      specIds.put("poster", posterSpecId(featurizer.specId()));
      return boxed(vector);
    }
  }

  /** The spec id of a poster vector made by the frame featurizer with this spec id. */
  public static String posterSpecId(String videoSpecId) {
    return "poster@v1(" + videoSpecId + ")";
  }

  private List<Float> metadata(Map<String, String> metadata, Map<String, String> specIds) {
    OptionalInt year = MetadataVector.year(metadata.get("year"));
    OptionalDouble runtime = MetadataVector.runtimeMinutes(metadata.get("runtime"));
    String title = nonBlank(metadata.get("title"));
    String plot = nonBlank(metadata.get("plot"));
    if (year.isEmpty() && runtime.isEmpty() && title == null && plot == null) {
      return null;
    }
    TokenFeaturizer encoder = title != null || plot != null ? text.get() : null;
    float[] vector = MetadataVector.of(year, runtime, meanEmbedding(encoder, title), meanEmbedding(encoder, plot));
    specIds.put("metadata", MetadataVector.specId(encoder != null ? encoder.spec().id() : text.get().spec().id()));
    return boxed(vector);
  }

  /** The mean of the text's token states: a sentence embedding as MiniLM's authors pool it. */
  private static float[] meanEmbedding(TokenFeaturizer encoder, String s) {
    if (s == null) {
      return null;
    }
    TokenFeatures tokens = encoder.embed(new Cue(0, 0, 1, s));
    int rows = tokens.getEmbeddings().getRows();
    int cols = tokens.getEmbeddings().getCols();
    List<Float> values = tokens.getEmbeddings().getValues();
    float[] mean = new float[cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        mean[c] += values.get(r * cols + c) / rows;
      }
    }
    return rows == 0 ? null : mean;
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static List<Float> boxed(float[] v) {
    var list = new ArrayList<Float>(v.length);
    for (float f : v) {
      list.add(f);
    }
    return list;
  }
}
