package dev.mmstream.ingest.transcript;

/**
 * Parameters of the text featurizer, and the versioned spec id that travels with every
 * {@code TokenFeatures} record so a model can refuse features made differently.
 *
 * @param maxTokens sequence length the encoder sees, [CLS] and [SEP] included (as Hugging Face's
 *     {@code max_length}): a cue keeps at most {@code maxTokens - 2} WordPiece tokens, and longer
 *     cues are truncated at the end with a logged warning. At most 512, the model's position limit.
 */
public record TokenFeatureSpec(int maxTokens) {

  /** all-MiniLM-L6-v2's own tokenizer setting; a caption cue rarely comes close. */
  public static final int DEFAULT_MAX_TOKENS = 128;

  static final int MODEL_MAX_TOKENS = 512;
  private static final int SPECIAL_TOKENS = 2;

  public TokenFeatureSpec {
    if (maxTokens <= SPECIAL_TOKENS || maxTokens > MODEL_MAX_TOKENS) {
      throw new IllegalArgumentException("max_tokens must be in [3, " + MODEL_MAX_TOKENS
          + "] (it counts [CLS] and [SEP]), got " + maxTokens);
    }
  }

  public static TokenFeatureSpec defaults() {
    return new TokenFeatureSpec(DEFAULT_MAX_TOKENS);
  }

  /** For example {@code text.minilm-l6-v2-tokens@v1(model=all-minilm-l6-v2,max_tokens=128,...)}. */
  public String id() {
    return "text.minilm-l6-v2-tokens@v1(model=all-minilm-l6-v2,max_tokens=" + maxTokens
        + ",timing=" + TokenTiming.NAME + ")";
  }
}
