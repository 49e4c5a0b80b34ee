package dev.mmstream.ingest.video;

import dev.mmstream.schema.v1.Face;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Scene;
import java.util.List;

/**
 * Flattens a {@link FrameFeatures} record (spec {@code video.face-scene@v1}, histogram h12s4v4) into the
 * fusion model's per-frame video vector of {@link #DIM} floats:
 *
 * <pre>
 * offset  size  field
 *      0     7  expression probabilities (face-api order), 0 without a face
 *      7   256  expression embedding, 0 without a face
 *    263     4  face box x, y, width, height (frame fractions), 0 without a face
 *    267     1  face score, 0 without a face
 *    268     1  has_face: 1 or 0
 *    269     1  face_count, min(count, 10) / 10
 *    270    20  histogram: hue 12, saturation 4, value 4
 *    290     1  brightness
 *    291     1  contrast
 *    292     1  colourfulness
 *    293     1  motion
 *    294     1  shot_cut: 1 or 0
 * </pre>
 */
public final class FrameVector {
  public static final int EXPRESSION = 0;
  public static final int EMBEDDING = EXPRESSION + FaceExpression.EXPRESSIONS;
  public static final int BOX = EMBEDDING + FaceExpression.EMBEDDING_DIM;
  public static final int SCORE = BOX + 4;
  public static final int HAS_FACE = SCORE + 1;
  public static final int FACE_COUNT = HAS_FACE + 1;
  public static final int HISTOGRAM = FACE_COUNT + 1;
  public static final int BRIGHTNESS = HISTOGRAM + HsvHistogram.SIZE;
  public static final int CONTRAST = BRIGHTNESS + 1;
  public static final int COLOURFULNESS = CONTRAST + 1;
  public static final int MOTION = COLOURFULNESS + 1;
  public static final int SHOT_CUT = MOTION + 1;
  /** Length of the vector: 295. */
  public static final int DIM = SHOT_CUT + 1;
  /** face_count is capped here before scaling to 0..1. */
  static final int MAX_FACES = 10;

  private FrameVector() {}

  public static float[] of(FrameFeatures frame) {
    float[] v = new float[DIM];
    Face face = frame.getFace();
    if (face != null) {
      copy(face.getExpression(), v, EXPRESSION, FaceExpression.EXPRESSIONS, "expression");
      copy(face.getEmbedding(), v, EMBEDDING, FaceExpression.EMBEDDING_DIM, "embedding");
      copy(face.getBox(), v, BOX, 4, "box");
      v[SCORE] = face.getScore();
      v[HAS_FACE] = 1;
    }
    v[FACE_COUNT] = Math.min(frame.getFaceCount(), MAX_FACES) / (float) MAX_FACES;
    Scene scene = frame.getScene();
    copy(scene.getHistogram(), v, HISTOGRAM, HsvHistogram.SIZE, "histogram (spec " + frame.getSpecId() + ")");
    v[BRIGHTNESS] = scene.getBrightness();
    v[CONTRAST] = scene.getContrast();
    v[COLOURFULNESS] = scene.getColourfulness();
    v[MOTION] = scene.getMotion();
    v[SHOT_CUT] = scene.getShotCut() ? 1 : 0;
    return v;
  }

  private static void copy(List<Float> values, float[] into, int offset, int expected, String field) {
    if (values.size() != expected) {
      throw new IllegalArgumentException("frame " + field + " has " + values.size() + " values, the "
          + VideoOptions.FEATURIZER + "@" + VideoOptions.VERSION + " vector expects " + expected);
    }
    for (int i = 0; i < expected; i++) {
      into[offset + i] = values.get(i);
    }
  }
}
