package dev.mmstream.align;

import dev.mmstream.schema.v1.Face;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Scene;
import java.util.List;

/**
 * Flattens one frame's features into the model's per-frame vector. Layout (in this order):
 * expression probabilities (7), face embedding (256), face box x/y/w/h (4), face score, has-face
 * flag, log(1 + face count), the scene histogram (its length is fixed by the video spec id),
 * brightness, contrast, colourfulness, motion, shot-cut flag. A frame without a face has zeros in
 * the face part and has-face 0, so the model can tell "no face" from "a neutral face".
 */
public final class FrameVectorizer {
  public static final int EXPRESSIONS = 7;
  public static final int EMBEDDING = 256;
  private static final int FACE_PART = EXPRESSIONS + EMBEDDING + 4 + 3;
  private static final int SCENE_SCALARS = 5;

  private FrameVectorizer() {}

  /** Vector length for a given histogram length. */
  public static int dimension(int histogramBins) {
    return FACE_PART + histogramBins + SCENE_SCALARS;
  }

  public static float[] vector(FrameFeatures frame) {
    Scene scene = frame.getScene();
    List<Float> histogram = scene.getHistogram();
    float[] v = new float[dimension(histogram.size())];
    int at = 0;
    Face face = frame.getFace();
    if (face != null) {
      at = copy(face.getExpression(), EXPRESSIONS, v, at, frame, "expression");
      at = copy(face.getEmbedding(), EMBEDDING, v, at, frame, "embedding");
      at = copy(face.getBox(), 4, v, at, frame, "box");
      v[at++] = face.getScore();
      v[at++] = 1f;
    } else {
      at += EXPRESSIONS + EMBEDDING + 4 + 2;
    }
    v[at++] = (float) Math.log1p(Math.max(0, frame.getFaceCount()));
    at = copy(histogram, histogram.size(), v, at, frame, "histogram");
    v[at++] = scene.getBrightness();
    v[at++] = scene.getContrast();
    v[at++] = scene.getColourfulness();
    v[at++] = scene.getMotion();
    v[at] = scene.getShotCut() ? 1f : 0f;
    return v;
  }

  private static int copy(
      List<Float> values, int expected, float[] into, int at, FrameFeatures frame, String field) {
    if (values.size() != expected) {
      throw new MalformedFeaturesException(
          "frame at pts " + frame.getPtsMs() + " ms has " + values.size() + " " + field
              + " values, expected " + expected);
    }
    for (int i = 0; i < expected; i++) {
      into[at + i] = values.get(i);
    }
    return at + expected;
  }
}
