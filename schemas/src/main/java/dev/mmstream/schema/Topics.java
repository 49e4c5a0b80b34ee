package dev.mmstream.schema;

import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.schema.v1.TokenFeatures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The project's topics under one configurable prefix (default {@code mm.}). Every topic is keyed by
 * stream id (UTF-8 string); record timestamps are event time. Each topic and its serde are built once:
 * a serde fingerprints its schema and every older version, which publishers must not pay per record.
 */
public final class Topics {
  public static final String DEFAULT_PREFIX = "mm.";
  /** Thumbnails are for watching now: an hour is kept, in 10-minute segments so that old ones really go. */
  public static final Duration THUMBNAIL_RETENTION = Duration.ofHours(1);
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");

  private final String prefix;
  private final Topic<String, StreamEvent> streamEvents;
  private final Topic<String, FrameFeatures> videoFrames;
  private final Topic<String, Thumbnail> videoThumbnails;
  private final Topic<String, AudioFeatures> audioLogMel;
  private final Topic<String, TokenFeatures> textTokens;
  private final Topic<String, Prediction> emotionPredictions;
  private final Topic<String, Prediction> genrePredictions;
  private final Topic<String, DeadLetter> deadLetters;

  public Topics(String prefix) {
    if (prefix == null || !LEGAL.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' may only contain letters, digits, '.', '_' and '-'");
    }
    this.prefix = prefix;
    this.streamEvents = topic("stream.events", StreamEvent.class);
    this.videoFrames = topic("video.frames", FrameFeatures.class);
    this.videoThumbnails = new Topic<>(prefix + "video.thumbnails", Serdes.String(), AvroSerde.of(Thumbnail.class), Map.of(
        "retention.ms", Long.toString(THUMBNAIL_RETENTION.toMillis()),
        "segment.ms", Long.toString(Duration.ofMinutes(10).toMillis())));
    this.audioLogMel = topic("audio.logmel", AudioFeatures.class);
    this.textTokens = topic("text.tokens", TokenFeatures.class);
    this.emotionPredictions = topic("predictions.emotion", Prediction.class);
    this.genrePredictions = topic("predictions.genre", Prediction.class);
    this.deadLetters = topic("deadletter", DeadLetter.class);
  }

  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX);
  }

  public String prefix() {
    return prefix;
  }

  /** START/END/ERROR of each stream. */
  public Topic<String, StreamEvent> streamEvents() {
    return streamEvents;
  }

  /** Features of sampled video frames. */
  public Topic<String, FrameFeatures> videoFrames() {
    return videoFrames;
  }

  /** Small JPEGs of sampled frames with their face box, about one a second, for dashboards (opt-in at ingest). */
  public Topic<String, Thumbnail> videoThumbnails() {
    return videoThumbnails;
  }

  /** Log-mel + prosody, one record per ~1 s of audio. */
  public Topic<String, AudioFeatures> audioLogMel() {
    return audioLogMel;
  }

  /** Token embeddings, one record per caption cue. */
  public Topic<String, TokenFeatures> textTokens() {
    return textTokens;
  }

  /** One prediction per emotion window. */
  public Topic<String, Prediction> emotionPredictions() {
    return emotionPredictions;
  }

  /** One prediction per finished trailer. */
  public Topic<String, Prediction> genrePredictions() {
    return genrePredictions;
  }

  /** Records the app could not use, with the reason and the original bytes. */
  public Topic<String, DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** Every topic, in pipeline order. */
  public List<Topic<String, ?>> all() {
    return List.of(
        streamEvents(),
        videoFrames(),
        videoThumbnails(),
        audioLogMel(),
        textTokens(),
        emotionPredictions(),
        genrePredictions(),
        deadLetters());
  }

  private <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(
      String suffix, Class<V> type) {
    return new Topic<>(prefix + suffix, Serdes.String(), AvroSerde.of(type));
  }
}
