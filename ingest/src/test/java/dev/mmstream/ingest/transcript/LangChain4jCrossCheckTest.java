package dev.mmstream.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our token states, mean-pooled over every real row ([CLS] and [SEP] included, padding masked out)
 * the way sentence-transformers pools all-MiniLM-L6-v2, must give langchain4j's own sentence
 * embedding of the same text. langchain4j L2-normalizes its embeddings, so ours are normalized too.
 */
class LangChain4jCrossCheckTest {

  private static final List<String> SENTENCES = List.of(
      "Run, the house is on fire!",
      "I never thought I'd see you again, old friend.",
      "Le café est délicieux 😀",
      "ok");

  @Test
  void meanPooledTokenStatesEqualLangChain4jEmbeddings() throws Exception {
    var reference = new AllMiniLmL6V2EmbeddingModel();
    try (var encoder = new MiniLmEncoder(TokenFeatureSpec.DEFAULT_MAX_TOKENS)) {
      // One padded batch: sentences of different lengths exercise the attention mask.
      List<MiniLmEncoder.Tokenized> batch = SENTENCES.stream().map(encoder::tokenize).toList();
      List<float[][]> states = encoder.encode(batch);

      for (int i = 0; i < SENTENCES.size(); i++) {
        float[] expected = reference.embed(SENTENCES.get(i)).content().vector();
        float[] ours = normalized(meanOfRows(states.get(i)));

        assertThat(norm(expected)).as("langchain4j normalizes").isCloseTo(1.0, within(1e-5));
        assertThat(ours).as(SENTENCES.get(i)).containsExactly(expected, within(1e-5f));
      }
    }
  }

  private static float[] meanOfRows(float[][] rows) {
    float[] mean = new float[rows[0].length];
    for (float[] row : rows) {
      for (int c = 0; c < mean.length; c++) {
        mean[c] += row[c] / rows.length;
      }
    }
    return mean;
  }

  private static float[] normalized(float[] v) {
    double n = norm(v);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / n);
    }
    return out;
  }

  private static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    return Math.sqrt(sum);
  }
}
