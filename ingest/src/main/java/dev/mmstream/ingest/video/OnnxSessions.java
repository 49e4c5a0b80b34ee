package dev.mmstream.ingest.video;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/** Opens CPU sessions for the small face models with a bounded thread count. */
final class OnnxSessions {
  private OnnxSessions() {}

  static OrtSession open(OrtEnvironment env, Path model, int intraOpThreads) {
    try (var options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // BlazeFace's export carries unused initializers; ORT warns about each at load, which is noise.
      options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      return env.createSession(model.toString(), options);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load ONNX model " + model.toAbsolutePath() + ": " + e.getMessage()
          + " (rerun ./mmstream setup if the file is damaged)", e);
    }
  }
}
