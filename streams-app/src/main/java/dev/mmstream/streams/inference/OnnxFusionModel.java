package dev.mmstream.streams.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.HoppingWindows;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.inference.ScoreOutcome.Rejected;
import dev.mmstream.streams.inference.ScoreOutcome.Scored;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One fusion model file served by one ONNX Runtime session (the process-wide {@link OrtEnvironment}
 * is shared; ORT's close of it is a no-op). Loading validates the metadata and the graph's inputs and
 * outputs against the export contract and warms the session up at batch 1 and at the max batch.
 * {@link #score} is safe to call from several threads at once (ORT sessions are); each call checks its
 * windows, pads the valid ones into one batch per {@code maxBatch} and runs them.
 */
public final class OnnxFusionModel implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelContract contract;
  private final DeviceChooser.Choice device;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<PaddedBatch> buffers = new ConcurrentLinkedQueue<>();

  private OnnxFusionModel(OrtEnvironment env, OrtSession session, ModelContract contract,
      DeviceChooser.Choice device, int maxBatch) {
    this.env = env;
    this.session = session;
    this.contract = contract;
    this.device = device;
    this.maxBatch = maxBatch;
  }

  /** Loads, validates and warms up {@code file}; throws {@link ModelLoadException} naming what is wrong. */
  public static OnnxFusionModel load(Path file, InferenceSettings settings) {
    return load(file, settings, new DeviceChooser(settings.device()));
  }

  static OnnxFusionModel load(Path file, InferenceSettings settings, DeviceChooser chooser) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    SessionFactory.Opened opened = new SessionFactory(env, settings, chooser).open(file);
    try {
      ModelContract contract = ContractReader.read(file, opened.session().getMetadata().getCustomMetadata());
      GraphCheck.check(opened.session(), contract);
      checkWindows(file, contract, settings);
      OnnxFusionModel model = new OnnxFusionModel(env, opened.session(), contract, opened.device(),
          settings.maxBatch());
      model.warmUp();
      return model;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(opened.session(), e);
      throw e instanceof ModelLoadException mle ? mle
          : new ModelLoadException(file, "ONNX Runtime refused it (" + e.getMessage() + ")", e);
    }
  }

  /** An emotion model scores the windows it was trained on, or none: other windows would mean other inputs. */
  private static void checkWindows(Path file, ModelContract contract, InferenceSettings settings) {
    if (contract.task() == Task.EMOTION && !contract.trainedWindows().equals(settings.emotionWindows())) {
      throw new ModelLoadException(file, "it was trained on windows of " + describe(contract.trainedWindows())
          + " but this app cuts windows of " + describe(settings.emotionWindows()) + ": serve it with --window-ms "
          + contract.trainedWindows().size().toMillis() + " --advance-ms " + contract.trainedWindows().advance().toMillis()
          + ", or train a model on windows cut like these");
    }
  }

  private static String describe(HoppingWindows w) {
    return w.size().toMillis() + " ms every " + w.advance().toMillis() + " ms";
  }

  public ModelContract contract() {
    return contract;
  }

  /** The device the session runs on and why it was chosen. */
  public Device device() {
    return device.device();
  }

  public String deviceReason() {
    return device.reason();
  }

  /** One outcome per window, in order: Scored, or Rejected for windows the model cannot take. */
  public List<ScoreOutcome> score(List<AssembledWindow> windows) {
    List<ScoreOutcome> outcomes = new ArrayList<>(Collections.nCopies(windows.size(), null));
    List<Integer> valid = new ArrayList<>(windows.size());
    for (int i = 0; i < windows.size(); i++) {
      Rejected problem = WindowCheck.problem(windows.get(i), contract);
      if (problem == null) {
        valid.add(i);
      } else {
        outcomes.set(i, problem);
      }
    }
    for (int start = 0; start < valid.size(); start += maxBatch) {
      List<Integer> chunk = valid.subList(start, Math.min(valid.size(), start + maxBatch));
      List<AssembledWindow> batch = chunk.stream().map(windows::get).toList();
      try {
        Output out = run(batch);
        for (int j = 0; j < chunk.size(); j++) {
          outcomes.set(chunk.get(j), new Scored(out.probs()[j], out.gates()[j], contract));
        }
      } catch (OrtException e) {
        Rejected failed = new Rejected(DeadLetterReason.INFERENCE_FAILED, "model " + contract.id()
            + " failed on a batch of " + batch.size() + " windows: " + e.getMessage());
        chunk.forEach(i -> outcomes.set(i, failed));
      }
    }
    return outcomes;
  }

  /** Probabilities [window][label] and mean gates [window][gate input] of one run. */
  public record Output(float[][] probs, float[][] gates) {}

  /**
   * Runs windows that already passed the contract checks as one batch (no size cap): the raw path under
   * {@link #score}, public for parity tests and timing.
   */
  public Output run(List<AssembledWindow> windows) throws OrtException {
    PaddedBatch batch = buffers.poll();
    if (batch == null) {
      batch = new PaddedBatch();
    }
    try {
      batch.fill(windows, contract);
      var tensors = new ArrayList<OnnxTensor>();
      try {
        var inputs = new HashMap<String, OnnxTensor>();
        for (int m = 0; m < ModelContract.MODALITIES.size(); m++) {
          String name = ModelContract.MODALITIES.get(m);
          inputs.put(name, keep(tensors, features(batch, m)));
          inputs.put(GraphCheck.maskName(name), keep(tensors, mask(batch, m)));
        }
        for (String c : contract.catalogueInputs()) {
          int dim = contract.catalogueDims().get(c);
          inputs.put(c, keep(tensors, OnnxTensor.createTensor(env, batch.catalogue(c), batch.catalogueShape(c, dim))));
          inputs.put(GraphCheck.maskName(c), keep(tensors,
              OnnxTensor.createTensor(env, batch.catalogueMask(c), batch.catalogueMaskShape(), OnnxJavaType.BOOL)));
        }
        try (OrtSession.Result result = session.run(inputs)) {
          return new Output(rows(result, GraphCheck.PROBS, windows.size(), contract.labels().size()),
              rows(result, GraphCheck.GATES, windows.size(), contract.gateNames().size()));
        }
      } finally {
        tensors.forEach(OnnxTensor::close);
      }
    } finally {
      buffers.offer(batch);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the session of " + contract.file() + " failed", e);
    }
  }

  private static OnnxTensor keep(List<OnnxTensor> tensors, OnnxTensor t) {
    tensors.add(t);
    return t;
  }

  private OnnxTensor features(PaddedBatch b, int m) throws OrtException {
    return OnnxTensor.createTensor(env, b.features(m), b.featureShape(m));
  }

  private OnnxTensor mask(PaddedBatch b, int m) throws OrtException {
    return OnnxTensor.createTensor(env, b.mask(m), b.maskShape(m), OnnxJavaType.BOOL);
  }

  private float[][] rows(OrtSession.Result result, String name, int batch, int width) throws OrtException {
    OnnxValue value = result.get(name).orElseThrow();
    long[] shape = ((OnnxTensor) value).getInfo().getShape();
    if (!Arrays.equals(shape, new long[] {batch, width})) {
      throw new OrtException("output " + name + " has shape " + Arrays.toString(shape) + ", expected ["
          + batch + ", " + width + "]");
    }
    FloatBuffer flat = ((OnnxTensor) value).getFloatBuffer();
    float[][] rows = new float[batch][width];
    for (float[] row : rows) {
      flat.get(row);
    }
    return rows;
  }

  /** First runs allocate and plan; doing them now keeps the first real windows fast. */
  private void warmUp() throws OrtException {
    for (int size : new int[] {1, maxBatch}) {
      Output out = run(Collections.nCopies(size, WarmUpWindow.full(contract)));
      for (float[] row : out.probs()) {
        for (float p : row) {
          if (!(p >= 0f && p <= 1f)) {
            throw new ModelLoadException(contract.file(), "warm-up run gave probability " + p
                + " outside [0, 1]");
          }
        }
      }
    }
  }

  private static void closeQuietly(OrtSession session, Exception primary) {
    try {
      session.close();
    } catch (OrtException e) {
      primary.addSuppressed(e);
    }
  }
}
