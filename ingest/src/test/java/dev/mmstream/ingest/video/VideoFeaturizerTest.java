package dev.mmstream.ingest.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The featurizer on a real clip: recorded here (lossless FFV1), decoded back with FFmpeg. */
class VideoFeaturizerTest {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;
  private static final int FPS = 10;
  private static final int FACE_FRAMES = 10;
  private static final int FLAT_FRAMES = 10;
  private static final int PAN_PX = 4;

  @TempDir static Path tmp;
  private static Path clip;
  private static float faceX;
  private static float faceY;

  /** 10 frames panning across a real photo around a face, then 10 flat blue frames. */
  @BeforeAll
  static void recordClip() throws Exception {
    JsonNode crop = TestModels.reference().get("crops").get(5);
    int side = 112 * crop.get("factor").asInt();
    int cx = crop.get("x").asInt() + side / 2;
    int cy = crop.get("y").asInt() + side / 2;
    int x0 = cx - WIDTH / 2 - FACE_FRAMES * PAN_PX / 2;
    int y0 = cy - HEIGHT / 2;
    faceX = (float) (cx - x0) / WIDTH;
    faceY = (float) (cy - y0) / HEIGHT;
    clip = tmp.resolve("clip.mkv");
    var converter = new OpenCVFrameConverter.ToMat();
    try (Mat photo = TestModels.photo(crop.get("image").asText());
         var recorder = new FFmpegFrameRecorder(clip.toFile(), WIDTH, HEIGHT, 0);
         Mat blue = new Mat(HEIGHT, WIDTH, CV_8UC3, new Scalar(200, 60, 20, 0))) {
      recorder.setFormat("matroska");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_FFV1);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_BGR0);
      recorder.setFrameRate(FPS);
      recorder.start();
      for (int i = 0; i < FACE_FRAMES; i++) {
        try (Rect window = new Rect(x0 + i * PAN_PX, y0, WIDTH, HEIGHT); Mat view = new Mat(photo, window); Mat frame = view.clone()) {
          recorder.record(converter.convert(frame));
        }
      }
      for (int i = 0; i < FLAT_FRAMES; i++) {
        recorder.record(converter.convert(blue));
      }
      recorder.stop();
    }
    assertThat(Files.size(clip)).isPositive();
  }

  @ParameterizedTest(name = "{0} defaults")
  @EnumSource(value = Task.class, names = {"EMOTION", "GENRE"})
  void describesEachDecodedFrame(Task task) throws Exception {
    VideoOptions options = VideoOptions.forTask(task);
    List<FrameFeatures> frames = new ArrayList<>();
    var converter = new OpenCVFrameConverter.ToMat();
    try (var models = FaceModels.load(TestModels.dir(), options.detector(), 1);
         var featurizer = new VideoFeaturizer("clip-1", models, options);
         var grabber = new FFmpegFrameGrabber(clip.toFile())) {
      grabber.start();
      Frame frame;
      long index = 0;
      while ((frame = grabber.grabImage()) != null) {
        Mat bgr = converter.convert(frame); // shares the grabber's buffer, reused by the next grab
        frames.add(featurizer.describe(bgr, frame.timestamp / 1000, index++));
      }
      grabber.stop();
    }

    assertThat(frames).hasSize(FACE_FRAMES + FLAT_FRAMES);
    assertThat(frames).allSatisfy(f -> {
      assertThat(f.getStreamId()).isEqualTo("clip-1");
      assertThat(f.getSpecId()).isEqualTo(options.specId())
          .startsWith("video.face-scene@v2(detector=" + options.detector().specName() + ",");
      assertThat(f.getWidth()).isEqualTo(WIDTH);
      assertThat(f.getHeight()).isEqualTo(HEIGHT);
      assertThat(f.getScene().getHistogram()).hasSize(20);
    });
    assertThat(frames).extracting(FrameFeatures::getFrameIndex).containsExactlyElementsOf(
        IntStream.range(0, FACE_FRAMES + FLAT_FRAMES).mapToObj(i -> (long) i).toList());
    assertThat(frames).extracting(FrameFeatures::getPtsMs).containsExactlyElementsOf(
        IntStream.range(0, FACE_FRAMES + FLAT_FRAMES).mapToObj(i -> (long) i * 1000 / FPS).toList());

    for (int i = 0; i < FACE_FRAMES; i++) {
      FrameFeatures f = frames.get(i);
      float panned = faceX - (float) i * PAN_PX / WIDTH;
      assertThat(f.getFaceCount()).as("faces in frame %d", i).isPositive();
      assertThat(f.getFace()).as("face in frame %d", i).isNotNull();
      List<Float> box = f.getFace().getBox();
      assertThat(new Box(box.get(0), box.get(1), box.get(2), box.get(3)).contains(panned, faceY)).isTrue();
      assertThat(f.getFace().getExpression()).hasSize(7);
      assertThat(f.getFace().getExpression().stream().mapToDouble(Float::doubleValue).sum()).isCloseTo(1.0, within(1e-5));
      assertThat(f.getFace().getEmbedding()).hasSize(256);
    }
    for (int i = FACE_FRAMES; i < frames.size(); i++) {
      assertThat(frames.get(i).getFace()).as("face in flat frame %d", i).isNull();
      assertThat(frames.get(i).getFaceCount()).isZero();
    }
    assertThat(IntStream.range(0, frames.size()).filter(i -> frames.get(i).getScene().getShotCut()).boxed().toList())
        .as("shot cuts").containsExactly(FACE_FRAMES);
    assertThat(IntStream.range(1, FACE_FRAMES).mapToObj(i -> frames.get(i).getScene().getMotion()))
        .as("motion while panning").allSatisfy(m -> assertThat(m).isPositive());
    assertThat(IntStream.range(FACE_FRAMES + 1, frames.size()).mapToObj(i -> frames.get(i).getScene().getMotion()))
        .as("motion on the still blue frames").allSatisfy(m -> assertThat(m).isZero());
  }

  @Test
  void describeCostsFewMillisecondsPerFrame() {
    JsonNode crop = TestModels.reference().get("crops").get(5);
    VideoOptions options = VideoOptions.forTask(Task.EMOTION);
    try (var models = FaceModels.load(TestModels.dir(), options.detector(), 1);
         var featurizer = new VideoFeaturizer("timing", models, options);
         Mat photo = TestModels.photo(crop.get("image").asText());
         Rect window = new Rect(crop.get("x").asInt() - 200, crop.get("y").asInt() - 60, WIDTH, HEIGHT);
         Mat frame = new Mat(photo, window).clone()) {
      for (int i = 0; i < 5; i++) {
        featurizer.describe(frame, i, i);
      }
      int runs = 40;
      long start = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        assertThat(featurizer.describe(frame, i, i).getFace()).isNotNull();
      }
      double ms = (System.nanoTime() - start) / 1e6 / runs;
      System.out.printf(Locale.ROOT, "VideoFeaturizer.describe 640x360 with one face: %.2f ms/frame (%d runs)%n", ms, runs);
      assertThat(ms).as("ms per frame").isLessThan(500);
    }
  }

  @Test
  void reusesTheDetectionBetweenDetectingFramesButReadsEachFramesOwnFace() {
    VideoOptions every2 = VideoOptions.forTask(Task.EMOTION);
    VideoOptions every1 = new VideoOptions(every2.detector(), every2.minFaceScore(), every2.cropMargin(),
        every2.cutThreshold(), 1, 1);
    JsonNode crop = TestModels.reference().get("crops").get(5);
    try (var models = FaceModels.load(TestModels.dir(), every2.detector(), 1);
         var sometimes = new VideoFeaturizer("s", models, every2);
         var always = new VideoFeaturizer("a", models, every1);
         Mat photo = TestModels.photo(crop.get("image").asText())) {
      List<FrameFeatures> reused = new ArrayList<>();
      List<FrameFeatures> fresh = new ArrayList<>();
      for (int i = 0; i < 3; i++) { // the camera pans 24 px per frame: no cut, the face moves
        try (Rect window = new Rect(crop.get("x").asInt() - 200 + 24 * i, crop.get("y").asInt() - 60, WIDTH, HEIGHT);
             Mat frame = new Mat(photo, window).clone()) {
          reused.add(sometimes.describe(frame, i * 200L, i));
          fresh.add(always.describe(frame, i * 200L, i));
        }
      }

      assertThat(reused.get(1).getFace().getBox()).as("frame 1 keeps frame 0's box").isEqualTo(reused.get(0).getFace().getBox());
      assertThat(fresh.get(1).getFace().getBox()).as("detected afresh, the box moves").isNotEqualTo(fresh.get(0).getFace().getBox());
      assertThat(reused.get(1).getFace().getExpression()).as("but the expression is frame 1's own")
          .isNotEqualTo(reused.get(0).getFace().getExpression());
      assertThat(reused.get(2).getFace().getBox()).as("frame 2 detects again").isEqualTo(fresh.get(2).getFace().getBox());
      assertThat(reused.get(0).getFace()).as("frame 0 is detected either way").isEqualTo(fresh.get(0).getFace());
    }
  }

  @Test
  void missingModelsFailWithTheSetupHint() {
    assertThatThrownBy(() -> FaceModels.load(Path.of("no-such-models"), BlazeFaceVariant.FRONT_128, 1))
        .isInstanceOf(MissingModelException.class)
        .hasMessageContaining("no-such-models")
        .hasMessageContaining("run ./mmstream setup");
  }

  @Test
  void refusesModelsLoadedForAnotherDetector() {
    try (var models = FaceModels.load(TestModels.dir(), BlazeFaceVariant.BACK_256, 1)) {
      assertThatThrownBy(() -> new VideoFeaturizer("s", models, VideoOptions.forTask(Task.EMOTION)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("blazeface-back256").hasMessageContaining("blazeface-front128");
    }
  }

  @Test
  void specIdNamesEveryFeatureParameter() {
    assertThat(VideoOptions.forTask(Task.EMOTION).specId()).isEqualTo("video.face-scene@v2(detector=blazeface-front128,"
        + "detect_every=2,min_score=0.6,crop=1.2,expr=face-api-1.7.15,hist=h12s4v4,cut=0.5)");
    assertThat(VideoOptions.forTask(Task.GENRE).specId()).isEqualTo("video.face-scene@v2(detector=blazeface-back256,"
        + "detect_every=1,min_score=0.6,crop=1.2,expr=face-api-1.7.15,hist=h12s4v4,cut=0.5)");
  }

  @Test
  void faceDetectorsAreNamedByTheirRange() {
    assertThat(BlazeFaceVariant.ofRange("short-range")).isEqualTo(BlazeFaceVariant.FRONT_128);
    assertThat(BlazeFaceVariant.ofRange("Full-Range")).isEqualTo(BlazeFaceVariant.BACK_256);
    assertThatThrownBy(() -> BlazeFaceVariant.ofRange("medium"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use short-range or full-range");
  }
}
