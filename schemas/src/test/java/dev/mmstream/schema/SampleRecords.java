package dev.mmstream.schema;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.CatalogueFeatures;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Face;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.LabelScore;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Scene;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.schema.v1.ThumbnailFace;
import dev.mmstream.schema.v1.TokenFeatures;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/** Plausible records of every type, varied by a seeded random source. */
public final class SampleRecords {
  private final Random random;

  public SampleRecords(long seed) {
    this.random = new Random(seed);
  }

  public SpecificRecord of(Class<? extends SpecificRecord> type, String streamId, int i) {
    if (type == StreamEvent.class) return streamEvent(streamId, i);
    if (type == FrameFeatures.class) return frame(streamId, i);
    if (type == Thumbnail.class) return thumbnail(streamId, i);
    if (type == AudioFeatures.class) return audio(streamId, i);
    if (type == TokenFeatures.class) return tokens(streamId, i);
    if (type == Prediction.class) return prediction(streamId, i);
    if (type == DeadLetter.class) return deadLetter(i);
    if (type == ModelWindow.class) return window(streamId, i);
    throw new IllegalArgumentException("no sample for " + type);
  }

  public StreamEvent streamEvent(String streamId, int i) {
    return StreamEvent.newBuilder()
        .setStreamId(streamId)
        .setType(i == 0 ? StreamEventType.START : StreamEventType.END)
        .setTask(Task.EMOTION)
        .setSource("file:///clips/" + streamId + ".mp4")
        .setOriginMs(1_700_000_000_000L + i)
        .setMetadata(Map.of("title", "clip " + i))
        .setCatalogue(i == 0 ? catalogue() : null)
        .build();
  }

  /** Not a decodable JPEG: random bytes of a thumbnail's size (the schema does not look inside). */
  public Thumbnail thumbnail(String streamId, int i) {
    byte[] jpeg = new byte[2_000 + random.nextInt(1_000)];
    random.nextBytes(jpeg);
    return Thumbnail.newBuilder()
        .setStreamId(streamId)
        .setPtsMs(i * 1000L)
        .setWidth(320)
        .setHeight(180)
        .setJpeg(ByteBuffer.wrap(jpeg))
        .setFace(i % 2 == 0 ? ThumbnailFace.newBuilder().setScore(random.nextFloat()).setBox(floats(4)).build() : null)
        .build();
  }

  public FrameFeatures frame(String streamId, int i) {
    return FrameFeatures.newBuilder()
        .setStreamId(streamId)
        .setPtsMs(i * 200L)
        .setFrameIndex(i)
        .setSpecId("video.test@v1")
        .setWidth(640)
        .setHeight(360)
        .setFaceCount(1)
        .setFace(
            Face.newBuilder()
                .setScore(random.nextFloat())
                .setBox(floats(4))
                .setExpression(floats(7))
                .setEmbedding(floats(256))
                .build())
        .setScene(
            Scene.newBuilder()
                .setHistogram(floats(20))
                .setBrightness(random.nextFloat())
                .setContrast(random.nextFloat())
                .setColourfulness(random.nextFloat())
                .setMotion(random.nextFloat())
                .setShotCut(random.nextBoolean())
                .build())
        .build();
  }

  public AudioFeatures audio(String streamId, int i) {
    return AudioFeatures.newBuilder()
        .setStreamId(streamId)
        .setStartMs(i * 1000L)
        .setHopMs(10)
        .setWindowMs(25)
        .setSampleRateHz(16000)
        .setSpecId("audio.test@v1")
        .setLogmel(matrix(100, 64))
        .setProsody(matrix(100, 3))
        .build();
  }

  public TokenFeatures tokens(String streamId, int i) {
    return TokenFeatures.newBuilder()
        .setStreamId(streamId)
        .setCueIndex(i)
        .setCueStartMs(i * 2000L)
        .setCueEndMs(i * 2000L + 1500)
        .setText("so happy to see you")
        .setSpecId("text.test@v1")
        .setTokens(List.of("so", "happy", "to", "see", "you"))
        .setTokenTimesMs(List.of(i * 2000L, i * 2000L + 300, i * 2000L + 600, i * 2000L + 900, i * 2000L + 1200))
        .setEmbeddings(matrix(5, 384))
        .build();
  }

  public Prediction prediction(String streamId, int i) {
    return Prediction.newBuilder()
        .setStreamId(streamId)
        .setTask(Task.EMOTION)
        .setWindowStartMs(i * 1000L)
        .setWindowEndMs(i * 1000L + 4000)
        .setLabels(
            List.of(
                new LabelScore("happy", 0.9f, 0.5f, true), new LabelScore("sad", 0.1f, 0.4f, false)))
        .setModalitiesPresent(List.of(Modality.TEXT, Modality.AUDIO))
        .setGates(new java.util.TreeMap<>(Map.of("text", 0.6f, "audio", 0.4f)))
        .setModelName("emotion-hybrid")
        .setModelVersion("1")
        .setWindowClosedAtMs(5_000L)
        .setPredictedAtMs(5_012L)
        .build();
  }

  public DeadLetter deadLetter(int i) {
    return DeadLetter.newBuilder()
        .setReason(DeadLetterReason.UNDECODABLE)
        .setDetail("bad bytes " + i)
        .setSourceTopic("mm.video.frames")
        .setSourcePartition(0)
        .setSourceOffset((long) i)
        .setOriginalKey(ByteBuffer.wrap(new byte[] {1, 2}))
        .setOriginalValue(ByteBuffer.wrap(new byte[] {3, 4, 5}))
        .setAppVersion("test")
        .setRecordedAtMs(1L)
        .build();
  }

  public ModelWindow window(String streamId, int i) {
    return ModelWindow.newBuilder()
        .setStreamId(streamId)
        .setTask(Task.EMOTION)
        .setWindowStartMs(i * 1000L)
        .setWindowEndMs(i * 1000L + 4000)
        .setSplit("train")
        .setLabels(List.of("happy"))
        .setText(matrix(3, 384))
        .setAudio(matrix(40, 67))
        .setVideo(matrix(0, 300))
        .setSpecIds(Map.of("text", "t@v1", "audio", "a@v1", "video", "v@v1", "window", "w@v1"))
        .setCatalogue(i % 2 == 0 ? catalogue() : null)
        .build();
  }

  /** A trailer with a poster but no metadata. */
  public CatalogueFeatures catalogue() {
    return CatalogueFeatures.newBuilder().setPoster(floats(300)).setSpecIds(Map.of("poster", "poster@v1")).build();
  }

  private Matrix matrix(int rows, int cols) {
    return new Matrix(rows, cols, floats(rows * cols));
  }

  private List<Float> floats(int n) {
    var values = new ArrayList<Float>(n);
    for (int k = 0; k < n; k++) {
      values.add(random.nextFloat());
    }
    return values;
  }
}
