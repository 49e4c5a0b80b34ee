package dev.mmstream.streams.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens an ORT session on the chosen device with the configured threads. */
final class SessionFactory {
  /** An open session (the caller owns it) and the device it runs on. */
  record Opened(OrtSession session, DeviceChooser.Choice device) {}

  private final OrtEnvironment env;
  private final InferenceSettings settings;
  private final DeviceChooser chooser;

  SessionFactory(OrtEnvironment env, InferenceSettings settings, DeviceChooser chooser) {
    this.env = env;
    this.settings = settings;
    this.chooser = chooser;
  }

  Opened open(Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ModelLoadException(file, "it is not a readable file");
    }
    try (SessionOptions options = options()) {
      DeviceChooser.Choice choice = chooser.configure(options);
      try {
        return new Opened(env.createSession(file.toString(), options), choice);
      } catch (OrtException e) {
        if (choice.device() != Device.CUDA) {
          throw e;
        }
        return onCpu(file, chooser.cudaSessionFailed(e)); // e.g. the CUDA provider is there, cuDNN is not
      }
    } catch (OrtException e) {
      throw new ModelLoadException(file, "ONNX Runtime cannot load it (" + e.getMessage() + ")", e);
    }
  }

  private Opened onCpu(Path file, DeviceChooser.Choice cpu) throws OrtException {
    try (SessionOptions options = options()) {
      return new Opened(env.createSession(file.toString(), options), cpu);
    }
  }

  private SessionOptions options() throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(1);
      options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
      return options;
    } catch (OrtException e) {
      options.close();
      throw e;
    }
  }
}
