package dev.mmstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.ingest.testing.TestMedia;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaDecoderTest {
  @TempDir static Path dir;
  private static Path clip;

  @BeforeAll
  static void makeClip() {
    clip = TestMedia.mp4(dir, "pattern.mp4", 3.0, 426, 240, 25); // 1,278 bytes per BGR row: not 64-aligned
  }

  @Test
  void sampledFramesArePixelForPixelWhatJavaCvsOwnBgrConversionGives() throws Exception {
    Map<Long, byte[]> ours = decode(new DecoderOptions(5, Duration.ofSeconds(5)));
    Map<Long, byte[]> javacv = javaCvBgr();

    assertThat(ours).hasSize(15); // 3 s at 5 fps
    ours.forEach((pts, pixels) -> assertThat(pixels).as("frame at %d ms", pts).isEqualTo(javacv.get(pts)));
  }

  @Test
  void decodingThreadsChangeNoPixel() {
    Map<Long, byte[]> one = decode(new DecoderOptions(5, Duration.ofSeconds(5), 1));
    Map<Long, byte[]> three = decode(new DecoderOptions(5, Duration.ofSeconds(5), 3));

    assertThat(three.keySet()).containsExactlyElementsOf(one.keySet());
    one.forEach((pts, pixels) -> assertThat(three.get(pts)).as("frame at %d ms", pts).isEqualTo(pixels));
  }

  private static Map<Long, byte[]> decode(DecoderOptions options) {
    Map<Long, byte[]> frames = new LinkedHashMap<>();
    List<Integer> audioSamples = new ArrayList<>();
    try (var decoder = MediaDecoder.open(SourceUri.parse(clip.toString()), options)) {
      while (decoder.next(new DecodedMedia() {
        @Override
        public void video(Mat bgr, long ptsMs) {
          frames.put(ptsMs, pixels(bgr));
        }

        @Override
        public void audio(float[] samples, int length, long ptsMs) {
          audioSamples.add(length);
        }
      })) {
        // decode to the end
      }
    }
    assertThat(audioSamples.stream().mapToInt(Integer::intValue).sum()).isBetween(47_000, 49_000); // 3 s at 16 kHz
    return frames;
  }

  /** Every frame through JavaCV's own conversion (BGR24), by presentation time. */
  private static Map<Long, byte[]> javaCvBgr() throws Exception {
    Map<Long, byte[]> frames = new LinkedHashMap<>();
    try (var grabber = new FFmpegFrameGrabber(clip.toFile()); var toMat = new OpenCVFrameConverter.ToMat()) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      grabber.start();
      Frame frame;
      while ((frame = grabber.grabImage()) != null) {
        frames.put(frame.timestamp / 1000, pixels(toMat.convert(frame)));
      }
    }
    return frames;
  }

  private static byte[] pixels(Mat bgr) {
    try (Mat continuous = bgr.clone()) {
      byte[] bytes = new byte[(int) (continuous.total() * continuous.channels())];
      ((ByteBuffer) continuous.createBuffer()).get(bytes);
      return bytes;
    }
  }
}
