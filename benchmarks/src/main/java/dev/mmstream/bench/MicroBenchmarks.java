package dev.mmstream.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** {@code ./mmstream bench --jmh}: the JMH benchmarks, then our YIN's speed as a ratio to TarsosDSP's. */
final class MicroBenchmarks {
  private MicroBenchmarks() {}

  static int run(PrintStream out) throws RunnerException {
    var options = new OptionsBuilder()
        .include(AudioFeaturizerBenchmark.class.getSimpleName())
        .include(PitchBenchmark.class.getSimpleName())
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Double> score = results.stream().collect(Collectors.toMap(
        r -> r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1),
        r -> r.getPrimaryResult().getScore(), (a, b) -> a));
    Double ours = score.get("ours");
    Double reference = score.get("tarsosDspReference");
    if (ours == null || reference == null) {
      out.println("the YIN benchmarks did not both run");
      return 1;
    }
    out.printf(Locale.ROOT, "%nYIN per 25 ms frame: ours %.2f us, TarsosDSP %.2f us: %.2fx faster (same results, bit for bit)%n",
        ours, reference, reference / ours);
    return 0;
  }
}
