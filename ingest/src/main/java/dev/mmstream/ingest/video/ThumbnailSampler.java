package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.schema.v1.ThumbnailFace;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Picks about one sampled frame a second of a stream and makes it a small JPEG with the face its
 * {@link FrameFeatures} found, for people watching the stream (topic {@code mm.video.thumbnails}). The box is
 * kept in fractions of the frame, which scaling does not change. Stateful (the last thumbnail's time) and not
 * thread-safe: one per stream, on the thread that featurizes its frames; {@link #close()} frees its buffers.
 */
public final class ThumbnailSampler implements AutoCloseable {
  private final Options options;
  private final Mat small = new Mat();
  private final IntPointer jpegParams;
  private long lastPtsMs = Long.MIN_VALUE;

  /**
   * @param every at most one thumbnail per this much media time
   * @param width JPEG width in pixels; the height keeps the frame's aspect ratio
   * @param quality JPEG quality, 1..100
   */
  public record Options(Duration every, int width, int quality) {
    public static final Options DEFAULT = new Options(Duration.ofSeconds(1), 320, 75);

    public Options {
      if (every.toMillis() < 100) {
        throw new IllegalArgumentException("--thumbnail-every-ms must be at least 100, not " + every.toMillis());
      }
      if (width < 32 || width > 1920) {
        throw new IllegalArgumentException("--thumbnail-width must be between 32 and 1920 pixels, not " + width);
      }
      if (quality < 1 || quality > 100) {
        throw new IllegalArgumentException("JPEG quality must be between 1 and 100, not " + quality);
      }
    }
  }

  public ThumbnailSampler(Options options) {
    this.options = options;
    this.jpegParams = new IntPointer(IMWRITE_JPEG_QUALITY, options.quality());
  }

  /**
   * The frame as a thumbnail when one is due (the first frame, then once {@link Options#every()} of media time
   * has passed since the last one), else empty.
   *
   * @param bgr the frame {@code features} describe, 8-bit BGR; read during the call only
   */
  public Optional<Thumbnail> sample(Mat bgr, FrameFeatures features) {
    long pts = features.getPtsMs();
    if (lastPtsMs != Long.MIN_VALUE && pts - lastPtsMs < options.every().toMillis()) {
      return Optional.empty();
    }
    lastPtsMs = pts;
    int width = Math.min(options.width(), bgr.cols());
    int height = Math.max(1, Math.round((float) bgr.rows() * width / bgr.cols()));
    resize(bgr, small, new Size(width, height), 0, 0, INTER_AREA);
    return Optional.of(Thumbnail.newBuilder()
        .setStreamId(features.getStreamId())
        .setPtsMs(pts)
        .setWidth(width)
        .setHeight(height)
        .setJpeg(ByteBuffer.wrap(jpeg(small)))
        .setFace(features.getFace() == null ? null
            : new ThumbnailFace(features.getFace().getScore(), features.getFace().getBox()))
        .build());
  }

  private byte[] jpeg(Mat image) {
    try (var buffer = new BytePointer()) {
      if (!imencode(".jpg", image, buffer, jpegParams)) {
        throw new IllegalStateException("OpenCV could not encode a " + image.cols() + "x" + image.rows() + " JPEG");
      }
      byte[] bytes = new byte[(int) buffer.limit()];
      buffer.get(bytes);
      return bytes;
    }
  }

  @Override
  public void close() {
    small.close();
    jpegParams.close();
  }
}
