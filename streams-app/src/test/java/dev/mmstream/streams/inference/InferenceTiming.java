package dev.mmstream.streams.inference;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.ModelWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Not a test: times scoring per window in ONNX Runtime Java, as the streams app runs it (one intra-op thread),
 * windows at the model's max lengths (the worst case), for the model bench ({@code ./mmstream bench model}).
 * Run with the test classpath in CLASSPATH (a long -cp crashes ORT 1.29):
 *
 * <pre>java dev.mmstream.streams.inference.InferenceTiming OUT.json SECONDS NAME=MODEL.onnx [NAME=MODEL.onnx ...]</pre>
 *
 * OUT.json gets "NAME/BATCH": median milliseconds per window, for batches 1, 8 and 64.
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
      try (OnnxFusionModel model = OnnxFusionModel.load(file, new InferenceSettings(Device.CPU, 1, 64))) {
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
          System.out.printf(Locale.ROOT, "ORT Java %s batch %d: %.3f ms/window%n", name, batch, ms);
        }
      }
    }
    Files.writeString(out, result.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "  \"%s\": %.6f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(",\n", "{\n", "\n}\n")));
  }

  /** Median over repeated runs for about {@code seconds}, per window, after one warm-up run. */
  private static double perWindowMs(OnnxFusionModel model, List<AssembledWindow> windows, double seconds) {
    model.score(windows);
    List<Long> runs = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end || runs.size() < 5) {
      long t0 = System.nanoTime();
      model.score(windows);
      runs.add(System.nanoTime() - t0);
    }
    Collections.sort(runs);
    return runs.get(runs.size() / 2) / 1e6 / windows.size();
  }
}
