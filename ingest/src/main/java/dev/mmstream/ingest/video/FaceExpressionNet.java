package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * face-api's expression network ({@code @vladmandic/face-api@1.7.15}, ported to
 * {@code models/build/face_expression.onnx}): a face crop in, 7 expression probabilities and the 256-d
 * bottleneck out. The crop is resized to 112x112 and fed as raw RGB 0..255; the graph applies face-api's
 * own normalisation ((x - mean RGB) / 255).
 *
 * <p>Runs the shared session of {@link FaceModels}; owns reusable pixel buffers: one instance per thread.
 */
public final class FaceExpressionNet implements AutoCloseable {
  public static final int INPUT_SIZE = 112;
  static final Path MODEL = Path.of("build", "face_expression.onnx");

  private final OrtEnvironment env;
  private final OrtSession session;
  private final FloatBuffer input;
  private final Mat resized = new Mat();
  private final Mat rgb = new Mat();
  private final Mat floats = new Mat();

  /** @param models the loaded networks; the expression net is theirs */
  public FaceExpressionNet(FaceModels models) {
    this.env = models.env();
    this.session = models.expressions();
    if (!session.getInputNames().contains("image") || !session.getOutputNames().contains("probs")
        || !session.getOutputNames().contains("embedding")) {
      throw new IllegalStateException("models/" + MODEL + " lacks input 'image' or outputs 'probs'/'embedding': rerun"
          + " ./mmstream setup to convert face-api's model again");
    }
    this.input = ByteBuffer.allocateDirect(INPUT_SIZE * INPUT_SIZE * 3 * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Describes the face in {@code faceBgr}, a BGR crop of any size (ideally square, face centred). */
  public FaceExpression describe(Mat faceBgr) {
    FramePixels.requireBgr(faceBgr, "face crop");
    Mat sized = faceBgr;
    if (faceBgr.cols() != INPUT_SIZE || faceBgr.rows() != INPUT_SIZE) {
      boolean shrinking = faceBgr.cols() > INPUT_SIZE || faceBgr.rows() > INPUT_SIZE;
      resize(faceBgr, resized, new Size(INPUT_SIZE, INPUT_SIZE), 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
      sized = resized;
    }
    cvtColor(sized, rgb, COLOR_BGR2RGB);
    rgb.convertTo(floats, CV_32F);
    input.clear();
    input.put((FloatBuffer) floats.createBuffer());
    input.flip();
    try (var tensor = OnnxTensor.createTensor(env, input, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3});
         var result = session.run(Map.of("image", tensor))) {
      return new FaceExpression(first(result, "probs"), first(result, "embedding"));
    } catch (OrtException e) {
      throw new IllegalStateException("face expression inference failed: " + e.getMessage(), e);
    }
  }

  private static float[] first(OrtSession.Result result, String name) throws OrtException {
    FloatBuffer buffer = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  /** Releases the pixel buffers; the session belongs to {@link FaceModels}. */
  @Override
  public void close() {
    resized.close();
    rgb.close();
    floats.close();
  }
}
