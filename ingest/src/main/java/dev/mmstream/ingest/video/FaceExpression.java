package dev.mmstream.ingest.video;

/**
 * Output of face-api's expression network for one face.
 *
 * @param probs 7 probabilities summing to 1 in face-api order (see {@link #LABELS})
 * @param embedding the 256-d bottleneck the final layer reads (unitless, >= 0)
 */
public record FaceExpression(float[] probs, float[] embedding) {
  public static final String[] LABELS = {"neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"};
  public static final int EXPRESSIONS = 7;
  public static final int EMBEDDING_DIM = 256;

  public FaceExpression {
    if (probs.length != EXPRESSIONS || embedding.length != EMBEDDING_DIM) {
      throw new IllegalArgumentException("expected 7 probabilities and a 256-d embedding, got "
          + probs.length + " and " + embedding.length);
    }
    probs = probs.clone();
    embedding = embedding.clone();
  }

  @Override
  public float[] probs() {
    return probs.clone();
  }

  @Override
  public float[] embedding() {
    return embedding.clone();
  }
}
