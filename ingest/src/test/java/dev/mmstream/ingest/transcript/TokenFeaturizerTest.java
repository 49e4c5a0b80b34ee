package dev.mmstream.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenFeaturizerTest {

  private static TokenFeaturizer featurizer;

  @BeforeAll
  static void loadModel() {
    featurizer = new TokenFeaturizer("trailer-42", TokenFeatureSpec.defaults());
  }

  @AfterAll
  static void closeModel() {
    featurizer.close();
  }

  @Test
  void embedsEachWordPieceWithATimeInsideTheCue() {
    Cue cue = new Cue(3, 1_000, 3_000, "The quick brown fox jumps over the lazy dog.");

    TokenFeatures features = featurizer.embed(cue);

    assertThat(features.getStreamId()).isEqualTo("trailer-42");
    assertThat(features.getCueIndex()).isEqualTo(3);
    assertThat(features.getCueStartMs()).isEqualTo(1_000);
    assertThat(features.getCueEndMs()).isEqualTo(3_000);
    assertThat(features.getText()).isEqualTo(cue.text());
    assertThat(features.getSpecId()).isEqualTo("text.minilm-l6-v2-tokens@v1"
        + "(model=all-minilm-l6-v2,max_tokens=128,timing=char-proportional)");
    assertThat(features.getTokens()).containsExactly(
        "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".");
    // Token i starts at character s_i of 44: 1000 + floor(2000 * s_i / 44).
    assertThat(features.getTokenTimesMs()).containsExactly(
        1_000L, 1_181L, 1_454L, 1_727L, 1_909L, 2_181L, 2_409L, 2_590L, 2_818L, 2_954L);
    assertThat(features.getEmbeddings().getRows()).isEqualTo(10);
    assertThat(features.getEmbeddings().getCols()).isEqualTo(384);
    assertThat(features.getEmbeddings().getValues()).hasSize(10 * 384).allMatch(Float::isFinite);
  }

  @Test
  void contextMakesTheSameWordDifferent() {
    TokenFeatures features = featurizer.embed(new Cue(0, 0, 1_000, "the bank of the river"));
    TokenFeatures money = featurizer.embed(new Cue(1, 0, 1_000, "the bank lent money"));

    // "bank" is token 1 in both, but its hidden state depends on the words around it.
    assertThat(row(features, 1)).isNotEqualTo(row(money, 1));
    assertThat(cosine(row(features, 1), row(money, 1))).isBetween(0.3, 0.99);
  }

  @Test
  void splitsUnknownWordsIntoWordPiecesThatShareTheWordsStart() {
    Cue cue = new Cue(0, 0, 900, "unbelievably hyperrealistic");

    TokenFeatures features = featurizer.embed(cue);

    assertThat(features.getTokens()).hasSizeGreaterThan(2).anyMatch(t -> t.startsWith("##"));
    assertThat(features.getTokenTimesMs()).first().isEqualTo(0L);
    assertThat(features.getTokenTimesMs()).isSorted().allMatch(t -> t >= 0 && t < 900);
    assertThat(String.join("", features.getTokens()).replace("##", ""))
        .isEqualTo("unbelievablyhyperrealistic");
  }

  @Test
  void handlesAccentsEmojiAndCjkWithCodePointOffsets() {
    // 15 code points, 16 UTF-16 chars: the emoji is a surrogate pair.
    String text = "Café 😀 naïve 東京";
    Cue cue = new Cue(0, 0, 1_500, text);

    TokenFeatures features = featurizer.embed(cue);

    assertThat(features.getTokens()).containsExactly("cafe", "[UNK]", "naive", "東", "京");
    // Starts at code points 0, 5, 7, 13, 14 of 15: floor(1500 * s / 15).
    assertThat(features.getTokenTimesMs()).containsExactly(0L, 500L, 700L, 1_300L, 1_400L);
    assertThat(features.getEmbeddings().getRows()).isEqualTo(5);
  }

  @Test
  void stampsEveryTokenOfAZeroLengthCueWithItsStart() {
    TokenFeatures features = featurizer.embed(new Cue(0, 7_000, 7_000, "blink and you miss it"));

    assertThat(features.getTokenTimesMs()).hasSize(5).containsOnly(7_000L);
  }

  @Test
  void batchedCuesEqualCuesEmbeddedOneByOne() {
    List<Cue> cues = new ArrayList<>();
    String[] words = "we need to talk about what happened last night at the old harbour".split(" ");
    for (int i = 0; i < 40; i++) { // two batches, lengths 1..13 words in shuffled order
      int n = 1 + (i * 7) % words.length;
      cues.add(new Cue(i, i * 1_000L, i * 1_000L + 800, String.join(" ", List.of(words)
          .subList(0, n))));
    }

    List<TokenFeatures> batched = featurizer.embedAll(cues);

    assertThat(batched).hasSize(cues.size());
    for (int i = 0; i < cues.size(); i++) {
      TokenFeatures single = featurizer.embed(cues.get(i));
      TokenFeatures inBatch = batched.get(i);
      assertThat(inBatch.getCueIndex()).isEqualTo(i);
      assertThat(inBatch.getTokens()).isEqualTo(single.getTokens());
      assertThat(inBatch.getTokenTimesMs()).isEqualTo(single.getTokenTimesMs());
      List<Float> a = inBatch.getEmbeddings().getValues();
      List<Float> b = single.getEmbeddings().getValues();
      assertThat(a).hasSameSizeAs(b);
      for (int k = 0; k < a.size(); k++) {
        assertThat(a.get(k)).as("cue %d value %d", i, k).isCloseTo(b.get(k), within(1e-5f));
      }
    }
  }

  @Test
  void truncatesLongCuesToMaxTokens() {
    String longText = "one two three four five six seven eight nine ten eleven twelve";
    try (var shortModel = new TokenFeaturizer("s", new TokenFeatureSpec(8))) {
      TokenFeatures features = shortModel.embed(new Cue(0, 0, 6_000, longText));

      assertThat(features.getTokens()).containsExactly("one", "two", "three", "four", "five", "six");
      assertThat(features.getEmbeddings().getRows()).isEqualTo(6);
      assertThat(features.getTokenTimesMs()).hasSize(6).isSorted();
      assertThat(features.getSpecId()).contains("max_tokens=8");
    }
  }

  @Test
  void rejectsMaxTokensTheModelCannotTake() {
    assertThatThrownBy(() -> new TokenFeatureSpec(513))
        .hasMessageContaining("max_tokens must be in [3, 512]");
    assertThatThrownBy(() -> new TokenFeatureSpec(2))
        .hasMessageContaining("got 2");
  }

  private static float[] row(TokenFeatures features, int row) {
    int cols = features.getEmbeddings().getCols();
    float[] out = new float[cols];
    for (int c = 0; c < cols; c++) {
      out[c] = features.getEmbeddings().getValues().get(row * cols + c);
    }
    return out;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
