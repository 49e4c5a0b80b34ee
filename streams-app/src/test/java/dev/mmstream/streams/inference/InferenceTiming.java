package dev.mmstream.streams.inference;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.ModelWindow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Not a test: times scoring per window at batch 1 and batch N on this machine, windows at the model's
 * max lengths (the worst case). Run with the test classpath in CLASSPATH (a long -cp crashes ORT 1.29):
 *
 * <pre>java dev.mmstream.streams.inference.InferenceTiming MODEL.onnx [batch=32] [intraOpThreads=1] [seconds=5]</pre>
 */
public final class InferenceTiming {
  private InferenceTiming() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 5;
    try (OnnxFusionModel model = OnnxFusionModel.load(file, new InferenceSettings(Device.CPU, threads, batch))) {
      ModelContract c = model.contract();
      Random rnd = new Random(1);
      List<ModelWindow> windows = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        windows.add(Fixtures.randomWindow(c, rnd, c.maxLengths().get("text"), c.maxLengths().get("audio"),
            c.maxLengths().get("video")));
      }
      List<AssembledWindow> assembled = Fixtures.assembled(windows);
      double one = perWindowMs(model, assembled.subList(0, 1), seconds);
      double many = perWindowMs(model, assembled, seconds);
      System.out.printf("%s (dims %s, lengths %s), %d intra-op thread(s):%n", file.getFileName(), c.inputDims(),
          c.maxLengths(), threads);
      System.out.printf("  batch 1:  %.3f ms/window (median run)%n", one);
      System.out.printf("  batch %d: %.3f ms/window (median run %.2f ms), %.1fx faster per window%n", batch, many,
          many * batch, one / many);
    }
  }

  /** Median over repeated runs for about {@code seconds}, per window. */
  private static double perWindowMs(OnnxFusionModel model, List<AssembledWindow> windows, double seconds) {
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
