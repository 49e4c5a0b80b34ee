package dev.mmstream.ingest.transcript;

import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rough wall-clock cost of {@link TokenFeaturizer}: ms per cue of 10 words on average (6 to 14,
 * so batches hold padding) embedded one by one versus in batches of 32. Not a test: timings are
 * machine-dependent. Run it with the classpath in an {@code @argfile}: ONNX Runtime 1.29.0 crashes
 * (SIGSEGV) while creating its environment when the process command line exceeds about 4 KiB,
 * which a {@code -cp} holding this module's classpath does.
 */
public final class TokenFeaturizerTiming {

  private static final String[] WORDS = ("you should never have come back here said the old man "
      + "quietly as the storm rolled over the dark hills and the lights went out").split(" ");

  private TokenFeaturizerTiming() {}

  public static void main(String[] args) {
    int cues = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<Cue> tenWordCues = new ArrayList<>();
    for (int i = 0; i < cues; i++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 6 + i % 9; w++) {
        words.add(WORDS[(i * 3 + w * 7) % WORDS.length]);
      }
      tenWordCues.add(new Cue(i, i * 2_000L, i * 2_000L + 1_800, String.join(" ", words)));
    }
    try (var featurizer = new TokenFeaturizer("timing", TokenFeatureSpec.defaults())) {
      featurizer.embedAll(tenWordCues.subList(0, Math.min(cues, 64))); // warm-up
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        List<TokenFeatures> single = tenWordCues.stream().map(featurizer::embed).toList();
        long t1 = System.nanoTime();
        List<TokenFeatures> batched = featurizer.embedAll(tenWordCues);
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT,
            "round %d: %d cues, %.1f tokens/cue: single %.2f ms/cue, batched(%d) %.2f ms/cue,"
                + " max |batched - single| = %.2e%n",
            r, cues, single.stream().mapToInt(f -> f.getTokens().size()).average().orElse(0),
            (t1 - t0) / 1e6 / cues, TokenFeaturizer.BATCH_SIZE, (t2 - t1) / 1e6 / cues,
            maxDifference(single, batched));
      }
    }
  }

  private static double maxDifference(List<TokenFeatures> a, List<TokenFeatures> b) {
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      List<Float> x = a.get(i).getEmbeddings().getValues();
      List<Float> y = b.get(i).getEmbeddings().getValues();
      for (int k = 0; k < x.size(); k++) {
        max = Math.max(max, Math.abs(x.get(k) - y.get(k)));
      }
    }
    return max;
  }
}
