package dev.mmstream.streams.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.ModelWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Not a test: times scoring per window in ONNX Runtime Java, as the streams app runs it (one intra-op thread),
 * windows at the model's max lengths (the worst case), for the model bench ({@code ./mmstream bench model}).
 * Run with the test classpath in CLASSPATH (a long -cp crashes ORT 1.29):
 *
 * <pre>java dev.mmstream.streams.inference.InferenceTiming OUT.json SECONDS NAME=MODEL.onnx [NAME=MODEL.onnx ...]</pre>
 *
 * OUT.json gets "NAME/BATCH": median milliseconds per window of the whole scoring path (checks, padding,
 * tensors, the run, reading the outputs), and "NAME/BATCH/session": the same windows as tensors built
 * once, timing {@code OrtSession.run} alone, so the difference is what Java adds. Batches 1, 8 and 64.
 */
public final class InferenceTiming {
  private static final int[] BATCHES = {1, 8, 64};

  private InferenceTiming() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    double seconds = Double.parseDouble(args[1]);
    var result = new LinkedHashMap<String, Double>();
    for (int i = 2; i < args.length; i++) {
      String name = args[i].substring(0, args[i].indexOf('='));
      Path file = Path.of(args[i].substring(args[i].indexOf('=') + 1));
      InferenceSettings settings = new InferenceSettings(Device.CPU, 1, 64);
      try (OnnxFusionModel model = OnnxFusionModel.load(file, settings);
          OrtSession session = new SessionFactory(OrtEnvironment.getEnvironment(), settings,
              new DeviceChooser(Device.CPU)).open(file).session()) {
        ModelContract c = model.contract();
        Random rnd = new Random(1);
        List<ModelWindow> windows = new ArrayList<>();
        for (int w = 0; w < 64; w++) {
          windows.add(Fixtures.randomWindow(c, rnd, c.maxLengths().get("text"), c.maxLengths().get("audio"),
              c.maxLengths().get("video")));
        }
        List<AssembledWindow> assembled = Fixtures.assembled(windows);
        for (int batch : BATCHES) {
          double ms = perWindowMs(model, assembled.subList(0, batch), seconds);
          result.put(name + "/" + batch, ms);
          double run = sessionRunMs(session, model.contract(), assembled.subList(0, batch), seconds);
          result.put(name + "/" + batch + "/session", run);
          System.out.printf(Locale.ROOT, "ORT Java %s batch %d: %.3f ms/window (OrtSession.run alone %.3f)%n",
              name, batch, ms, run);
        }
      }
    }
    Files.writeString(out, result.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "  \"%s\": %.6f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(",\n", "{\n  \"version\": \"" + OrtEnvironment.getEnvironment().getVersion()
            + "\",\n", "\n}\n")));
  }

  private static double perWindowMs(OnnxFusionModel model, List<AssembledWindow> windows, double seconds) {
    return medianMs(() -> model.score(windows), seconds) / windows.size();
  }

  private static double sessionRunMs(OrtSession session, ModelContract contract, List<AssembledWindow> windows,
      double seconds) throws OrtException {
    PaddedBatch batch = new PaddedBatch();
    batch.fill(windows, contract);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (int m = 0; m < ModelContract.MODALITIES.size(); m++) {
        String modality = ModelContract.MODALITIES.get(m);
        feed.put(modality, OnnxTensor.createTensor(env, batch.features(m), batch.featureShape(m)));
        feed.put(modality + "_mask", OnnxTensor.createTensor(env, batch.mask(m), batch.maskShape(m), OnnxJavaType.BOOL));
      }
      return medianMs(() -> {
        try (OrtSession.Result ignored = session.run(feed)) {
          // only the run is timed
        } catch (OrtException e) {
          throw new IllegalStateException(e);
        }
      }, seconds) / windows.size();
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  /** Median milliseconds over repeated runs for about {@code seconds}, after one warm-up run. */
  private static double medianMs(Runnable run, double seconds) {
    run.run();
    List<Long> runs = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end || runs.size() < 5) {
      long t0 = System.nanoTime();
      run.run();
      runs.add(System.nanoTime() - t0);
    }
    Collections.sort(runs);
    return runs.get(runs.size() / 2) / 1e6;
  }
}
