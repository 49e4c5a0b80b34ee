package dev.mmstream.ingest.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPInputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * The librosa fixtures written by training/mmstream_training/golden/audio_golden.py under
 * src/test/resources/golden/audio/: signal, reference log-mel and the per-frame references in golden.json.
 */
record GoldenAudio(String name, float[] pcm, float[][] logmel, JsonNode reference) {
  private static final String DIR = "/golden/audio/";
  static final int MELS = 64;

  static GoldenAudio load(String name) {
    try {
      final JsonNode manifest = new ObjectMapper().readTree(resource("golden.json"));
      final JsonNode reference = manifest.path("signals").path(name);
      final float[] pcm = readWav(resource(name + ".wav.gz"));
      final float[] flat = readFloats(resource(name + ".logmel.f32.gz"));
      final float[][] logmel = new float[flat.length / MELS][MELS];
      for (int i = 0; i < logmel.length; i++) {
        System.arraycopy(flat, i * MELS, logmel[i], 0, MELS);
      }
      return new GoldenAudio(name, pcm, logmel, reference);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden fixture " + name, e);
    }
  }

  /** librosa.filters.mel(sr=16000, n_fft=400, n_mels=64, fmin=0, fmax=8000): 64 x 201. */
  static float[][] melBasis() {
    try {
      final float[] flat = readFloats(resource("mel_basis.f32.gz"));
      final float[][] basis = new float[MELS][flat.length / MELS];
      for (int m = 0; m < MELS; m++) {
        System.arraycopy(flat, m * basis[m].length, basis[m], 0, basis[m].length);
      }
      return basis;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the golden mel basis", e);
    }
  }

  float[] series(String field) {
    final JsonNode array = reference.path(field);
    final float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  private static InputStream resource(String file) throws IOException {
    final InputStream in = GoldenAudio.class.getResourceAsStream(DIR + file);
    if (in == null) {
      throw new IOException(DIR + file + " is missing: run training/mmstream_training/golden/audio_golden.py");
    }
    return file.endsWith(".gz") ? new GZIPInputStream(in) : in;
  }

  /** 16-bit PCM to float: k / 32768, exactly what the Python reference analysed. */
  private static float[] readWav(InputStream gz) throws IOException {
    try (AudioInputStream audio = AudioSystem.getAudioInputStream(new BufferedInputStream(gz))) {
      final AudioFormat format = audio.getFormat();
      if (format.getSampleSizeInBits() != 16 || format.getChannels() != 1 || format.getSampleRate() != 16000f
          || format.isBigEndian()) {
        throw new IOException("expected 16 kHz mono 16-bit little-endian PCM, got " + format);
      }
      final ByteBuffer bytes = ByteBuffer.wrap(audio.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
      final float[] pcm = new float[bytes.remaining() / 2];
      for (int i = 0; i < pcm.length; i++) {
        pcm[i] = bytes.getShort() / 32768f;
      }
      return pcm;
    } catch (UnsupportedAudioFileException e) {
      throw new IOException("not a WAV file", e);
    }
  }

  private static float[] readFloats(InputStream in) throws IOException {
    try (in) {
      final ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
      final float[] out = new float[bytes.remaining() / 4];
      bytes.asFloatBuffer().get(out);
      return out;
    }
  }
}
