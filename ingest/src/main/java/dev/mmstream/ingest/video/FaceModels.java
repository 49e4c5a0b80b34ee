package dev.mmstream.ingest.video;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/**
 * The two face networks, BlazeFace and face-api's expression net, loaded once and shared by every
 * stream's {@link VideoFeaturizer}: an ONNX Runtime session may run on several threads at once, so
 * concurrent streams need no copies, and a worker that featurizes clip after clip (extract) does not
 * reload them for each one. Owns both sessions; close it after the last stream using it.
 */
public final class FaceModels implements AutoCloseable {
  private final BlazeFaceVariant detectorVariant;
  private final OrtEnvironment env;
  private final OrtSession detector;
  private final OrtSession expressions;

  private FaceModels(BlazeFaceVariant detectorVariant, OrtEnvironment env, OrtSession detector, OrtSession expressions) {
    this.detectorVariant = detectorVariant;
    this.env = env;
    this.detector = detector;
    this.expressions = expressions;
  }

  /**
   * @param modelsDir the repository's {@code models/} folder, filled by {@code ./mmstream setup}
   * @param intraOpThreads ONNX Runtime threads per inference call
   * @throws MissingModelException when a model file is not where setup puts it
   */
  public static FaceModels load(Path modelsDir, BlazeFaceVariant detectorVariant, int intraOpThreads) {
    Path detectorFile = MissingModelException.require(
        "BlazeFace model " + detectorVariant.specName(), detectorVariant.modelFile(modelsDir));
    Path expressionFile = MissingModelException.require(
        "face-api expression model", modelsDir.resolve(FaceExpressionNet.MODEL));
    var env = OrtEnvironment.getEnvironment();
    OrtSession detector = OnnxSessions.open(env, detectorFile, intraOpThreads);
    try {
      return new FaceModels(detectorVariant, env, detector, OnnxSessions.open(env, expressionFile, intraOpThreads));
    } catch (RuntimeException e) {
      closeQuietly(detector, e);
      throw e;
    }
  }

  public BlazeFaceVariant detectorVariant() {
    return detectorVariant;
  }

  OrtEnvironment env() {
    return env;
  }

  OrtSession detector() {
    return detector;
  }

  OrtSession expressions() {
    return expressions;
  }

  @Override
  public void close() {
    try {
      detector.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the BlazeFace session: " + e.getMessage(), e);
    } finally {
      try {
        expressions.close();
      } catch (OrtException e) {
        throw new IllegalStateException("cannot close the expression session: " + e.getMessage(), e);
      }
    }
  }

  private static void closeQuietly(OrtSession session, RuntimeException cause) {
    try {
      session.close();
    } catch (OrtException e) {
      cause.addSuppressed(e);
    }
  }
}
