package dev.mmstream.streams.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the requested {@link Device} into session options, once per process: the first model decides
 * and logs, later models (hot swaps) reuse the decision, so a CPU fallback costs the failed CUDA probe
 * (about 6 s with the GPU jar and no driver) only once.
 */
final class DeviceChooser {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceChooser.class);

  /** The device in use and why. */
  record Choice(Device device, String reason) {}

  private final Device requested;
  private Choice decided;

  DeviceChooser(Device requested) {
    this.requested = requested;
  }

  /** Adds the execution provider to {@code options}; throws when CUDA is required but unavailable. */
  synchronized Choice configure(SessionOptions options) {
    if (decided != null && decided.device() == Device.CPU) {
      return decided;
    }
    if (requested == Device.CPU) {
      decided = log(new Choice(Device.CPU, "--device cpu"));
      return decided;
    }
    try {
      options.addCUDA(0);
      if (decided == null) {
        decided = log(new Choice(Device.CUDA, "--device " + requested.name().toLowerCase(Locale.ROOT)
            + ": CUDA execution provider on GPU 0"));
      }
      return decided;
    } catch (OrtException | RuntimeException | LinkageError e) {
      String why = "CUDA execution provider unavailable (" + e.getMessage() + ")";
      if (requested == Device.CUDA) {
        throw new IllegalStateException("--device cuda: " + why + ". Build with `mvn -Pgpu` (onnxruntime_gpu) "
            + "and run on a machine with CUDA 12 and cuDNN 9, or use --device auto or cpu", e);
      }
      decided = log(new Choice(Device.CPU, "--device auto: " + why + "; using the CPU"));
      return decided;
    }
  }

  /**
   * The CUDA provider was added but a session could not be created on it: auto falls back to the CPU for
   * good, cuda fails. The model is then opened again on the CPU by the caller.
   */
  synchronized Choice cudaSessionFailed(Exception e) {
    String why = "a session on the CUDA execution provider failed (" + e.getMessage() + ")";
    if (requested == Device.CUDA) {
      throw new IllegalStateException("--device cuda: " + why + ". Check CUDA 12 and cuDNN 9 are installed, "
          + "or use --device auto or cpu", e);
    }
    decided = log(new Choice(Device.CPU, "--device auto: " + why + "; using the CPU"));
    return decided;
  }

  private static Choice log(Choice choice) {
    LOG.info("inference device {}: {}", choice.device(), choice.reason());
    return choice;
  }
}
