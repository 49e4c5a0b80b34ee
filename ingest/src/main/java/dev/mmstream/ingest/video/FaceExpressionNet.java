package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
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
  static final int LABELS = 7;
  static final int EMBEDDING = 256;
  static final Path MODEL = Path.of("build", "face_expression.onnx");

  private final OrtSession session;
  // Bound once: the crop is converted straight into the input buffer, the outputs land in direct buffers.
  private final FloatBuffer input;
  private final Mat floats;
  private final FloatBuffer probs = directFloats(LABELS);
  private final FloatBuffer embedding = directFloats(EMBEDDING);
  private final OnnxTensor inputTensor;
  private final Map<String, OnnxTensor> outputTensors = new HashMap<>();
  private final Mat resized = new Mat();
  private final Mat rgb = new Mat();

  /** @param models the loaded networks; the expression net is theirs */
  public FaceExpressionNet(FaceModels models) {
    var env = models.env();
    this.session = models.expressions();
    if (!session.getInputNames().contains("image") || !session.getOutputNames().contains("probs")
        || !session.getOutputNames().contains("embedding")) {
      throw new IllegalStateException("models/" + MODEL + " lacks input 'image' or outputs 'probs'/'embedding': rerun"
          + " ./mmstream setup to convert face-api's model again");
    }
    this.input = directFloats(INPUT_SIZE * INPUT_SIZE * 3);
    this.floats = new Mat(INPUT_SIZE, INPUT_SIZE, CV_32FC3, new FloatPointer(input));
    try {
      this.inputTensor = OnnxTensor.createTensor(env, input, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3});
      outputTensors.put("probs", OnnxTensor.createTensor(env, probs, new long[] {1, LABELS}));
      outputTensors.put("embedding", OnnxTensor.createTensor(env, embedding, new long[] {1, EMBEDDING}));
    } catch (OrtException e) {
      close();
      throw new IllegalStateException("cannot bind the expression net's inputs and outputs: " + e.getMessage(), e);
    }
  }

  private static FloatBuffer directFloats(int count) {
    return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Describes the face in {@code faceBgr}, a BGR crop of any size (ideally square, face centred, at most twice the input side). */
  public FaceExpression describe(Mat faceBgr) {
    FramePixels.requireBgr(faceBgr, "face crop");
    Mat sized = faceBgr;
    if (faceBgr.cols() != INPUT_SIZE || faceBgr.rows() != INPUT_SIZE) {
      // Bilinear, as face-api resizes its crops; area averaging only past a factor of 2, where
      // bilinear would skip pixels (the video featurizer's crops never get there).
      boolean farShrink = faceBgr.cols() > 2 * INPUT_SIZE || faceBgr.rows() > 2 * INPUT_SIZE;
      resize(faceBgr, resized, new Size(INPUT_SIZE, INPUT_SIZE), 0, 0, farShrink ? INTER_AREA : INTER_LINEAR);
      sized = resized;
    }
    cvtColor(sized, rgb, COLOR_BGR2RGB);
    rgb.convertTo(floats, CV_32F); // into the input buffer
    try (var result = session.run(Map.of("image", inputTensor), outputTensors)) {
      return new FaceExpression(copy(probs), copy(embedding));
    } catch (OrtException e) {
      throw new IllegalStateException("face expression inference failed: " + e.getMessage(), e);
    }
  }

  private static float[] copy(FloatBuffer buffer) {
    float[] values = new float[buffer.capacity()];
    buffer.get(0, values);
    return values;
  }

  /** Releases the buffers and their tensors; the session belongs to {@link FaceModels}. */
  @Override
  public void close() {
    if (inputTensor != null) {
      inputTensor.close();
    }
    outputTensors.values().forEach(OnnxTensor::close);
    resized.close();
    rgb.close();
    floats.close();
  }
}
