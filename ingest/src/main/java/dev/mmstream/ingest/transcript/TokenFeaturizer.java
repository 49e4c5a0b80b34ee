package dev.mmstream.ingest.transcript;

import ai.onnxruntime.OrtException;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caption cues to {@link TokenFeatures} (topic {@code mm.text.tokens}, key = stream id): the cue's
 * WordPiece tokens without [CLS]/[SEP], their 384-d all-MiniLM-L6-v2 last hidden states (one row
 * per token; the special-token rows are dropped after the encoder has used them as context), and
 * one time per token, see {@link TokenTiming}. Cues longer than {@link TokenFeatureSpec#maxTokens()}
 * are truncated with a warning: a caption cue of 126 word pieces is already far longer than any a
 * viewer can read, so splitting is not worth the extra contract.
 *
 * <p>Owns one ONNX Runtime session and one native tokenizer; close it once.
 */
public final class TokenFeaturizer implements AutoCloseable {

  /** Cues per encoder run in {@link #embedAll}. */
  public static final int BATCH_SIZE = 32;

  private static final Logger LOG = LoggerFactory.getLogger(TokenFeaturizer.class);

  private final String streamId;
  private final TokenFeatureSpec spec;
  private final MiniLmEncoder encoder;

  public TokenFeaturizer(String streamId, TokenFeatureSpec spec) {
    this.streamId = Objects.requireNonNull(streamId, "streamId");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.encoder = new MiniLmEncoder(spec.maxTokens());
  }

  public TokenFeatureSpec spec() {
    return spec;
  }

  /** Features of one cue, from an unpadded encoder run. */
  public TokenFeatures embed(Cue cue) {
    return embedAll(List.of(cue)).get(0);
  }

  /**
   * Features of each cue, in the given order. Cues are run {@value #BATCH_SIZE} at a time, sorted
   * by token count so that little padding is computed; the result equals {@link #embed} per cue up
   * to float rounding (about 1e-6).
   */
  public List<TokenFeatures> embedAll(List<Cue> cues) {
    List<MiniLmEncoder.Tokenized> tokenized = cues.stream().map(this::tokenize).toList();
    Integer[] byLength = IntStream.range(0, cues.size()).boxed()
        .sorted(Comparator.comparingInt(i -> tokenized.get(i).length()))
        .toArray(Integer[]::new);
    TokenFeatures[] out = new TokenFeatures[cues.size()];
    for (int from = 0; from < byLength.length; from += BATCH_SIZE) {
      List<Integer> batch = Arrays.asList(byLength).subList(from,
          Math.min(from + BATCH_SIZE, byLength.length));
      List<float[][]> states = run(batch.stream().map(tokenized::get).toList());
      for (int k = 0; k < batch.size(); k++) {
        int i = batch.get(k);
        out[i] = features(cues.get(i), tokenized.get(i), states.get(k));
      }
    }
    return List.of(out);
  }

  @Override
  public void close() {
    encoder.close();
  }

  private MiniLmEncoder.Tokenized tokenize(Cue cue) {
    MiniLmEncoder.Tokenized tokenized = encoder.tokenize(cue.text());
    if (tokenized.truncated()) {
      LOG.warn("stream {} cue {}: text is longer than max_tokens={}; kept its first {} tokens",
          streamId, cue.index(), spec.maxTokens(), tokenized.length() - 2);
    }
    return tokenized;
  }

  private List<float[][]> run(List<MiniLmEncoder.Tokenized> batch) {
    try {
      return encoder.encode(batch);
    } catch (OrtException e) {
      throw new IllegalStateException("MiniLM inference failed for stream " + streamId, e);
    }
  }

  private TokenFeatures features(Cue cue, MiniLmEncoder.Tokenized tokenized, float[][] states) {
    int n = tokenized.length() - 2; // rows 1..n: [CLS] is row 0, [SEP] row n + 1
    List<Float> values = new ArrayList<>(n * MiniLmEncoder.HIDDEN_SIZE);
    for (int row = 1; row <= n; row++) {
      for (float v : states[row]) {
        values.add(v);
      }
    }
    int[] starts = Arrays.copyOfRange(tokenized.codePointStarts(), 1, n + 1);
    long[] times = TokenTiming.charProportional(cue, starts);
    return TokenFeatures.newBuilder()
        .setStreamId(streamId)
        .setCueIndex(cue.index())
        .setCueStartMs(cue.startMs())
        .setCueEndMs(cue.endMs())
        .setText(cue.text())
        .setSpecId(spec.id())
        .setTokens(List.of(tokenized.tokens()).subList(1, n + 1))
        .setTokenTimesMs(Arrays.stream(times).boxed().toList())
        .setEmbeddings(new Matrix(n, MiniLmEncoder.HIDDEN_SIZE, values))
        .build();
  }
}
