package dev.mmstream.ingest.video;

import dev.mmstream.schema.FloatLists;
import dev.mmstream.schema.v1.Face;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Scene;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Features of the sampled frames of one stream for topic {@code mm.video.frames}: faces found by
 * BlazeFace, the largest one described by face-api's expression network, plus the scene descriptor.
 *
 * <p>Stateful (motion and shot cuts compare with the previous sampled frame) and not thread-safe: one
 * instance per stream, running the networks of a {@link FaceModels} that streams share. Close it when the
 * stream ends (it frees its buffers, not the models). The Mat passed to {@link #describe} belongs to the
 * decoder and is never kept.
 */
public final class VideoFeaturizer implements AutoCloseable {
  private final String streamId;
  private final VideoOptions options;
  private final String specId;
  private final BlazeFaceDetector detector;
  private final FaceExpressionNet expressions;
  private final SceneDescriptor scene;
  private final FramePyramid pyramid = new FramePyramid();
  private List<FaceDetection> lastFaces;
  private int framesSinceDetection;

  /** @param models loaded with {@code options.detector()} */
  public VideoFeaturizer(String streamId, FaceModels models, VideoOptions options) {
    if (streamId == null || streamId.isBlank()) {
      throw new IllegalArgumentException("stream id must not be blank");
    }
    if (models.detectorVariant() != options.detector()) {
      throw new IllegalArgumentException("face models hold " + models.detectorVariant().specName()
          + " but the video options ask for " + options.detector().specName());
    }
    this.streamId = streamId;
    this.options = options;
    this.specId = options.specId();
    FaceExpressionNet net = new FaceExpressionNet(models);
    try {
      this.detector = new BlazeFaceDetector(models, options.minFaceScore());
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
    this.expressions = net;
    this.scene = new SceneDescriptor(options.cutThreshold());
  }

  public String specId() {
    return specId;
  }

  public VideoOptions options() {
    return options;
  }

  /**
   * @param bgr the decoded frame, 8-bit BGR; read during the call only
   * @param ptsMs presentation time in the media, milliseconds
   * @param frameIndex index among this stream's sampled frames, from 0
   */
  public FrameFeatures describe(Mat bgr, long ptsMs, long frameIndex) {
    pyramid.build(bgr);
    Scene sceneFeatures = scene.describe(pyramid.analysis());
    List<FaceDetection> faces = faces(sceneFeatures.getShotCut());
    return FrameFeatures.newBuilder()
        .setStreamId(streamId)
        .setPtsMs(ptsMs)
        .setFrameIndex(frameIndex)
        .setSpecId(specId)
        .setWidth(bgr.cols())
        .setHeight(bgr.rows())
        .setFaceCount(faces.size())
        .setFace(largest(faces))
        .setScene(sceneFeatures)
        .build();
  }

  /** BlazeFace's faces in this frame: found afresh on every n-th frame and after a cut, else the last ones. */
  private List<FaceDetection> faces(boolean shotCut) {
    if (lastFaces == null || shotCut || ++framesSinceDetection >= options.detectEvery()) {
      lastFaces = detector.detect(pyramid);
      framesSinceDetection = 0;
    }
    return lastFaces;
  }

  private Face largest(List<FaceDetection> faces) {
    var biggest = faces.stream().max(Comparator.comparingDouble(d -> d.box().area()));
    if (biggest.isEmpty()) {
      return null;
    }
    FaceDetection face = biggest.get();
    try (Mat crop = FaceCrop.square(pyramid, face.box(), options.cropMargin(), FaceExpressionNet.INPUT_SIZE)) {
      if (crop == null) {
        return null; // the detector's box lies wholly outside the frame: nothing to describe
      }
      FaceExpression expression = expressions.describe(crop);
      Box box = face.box().clipToUnit();
      return Face.newBuilder()
          .setScore(face.score())
          .setBox(List.of(box.x(), box.y(), box.width(), box.height()))
          .setExpression(FloatLists.of(expression.probs()))
          .setEmbedding(FloatLists.of(expression.embedding()))
          .build();
    }
  }

  @Override
  public void close() {
    try (expressions; detector; scene; pyramid) {
      // closes all four, even when one fails
    }
  }
}
