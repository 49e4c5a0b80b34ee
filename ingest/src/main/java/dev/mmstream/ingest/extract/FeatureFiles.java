package dev.mmstream.ingest.extract;

/** File names of a clip's raw feature records under {@code features/<clip>/}, one per topic. */
public final class FeatureFiles {
  /** StreamEvent (START, END), as on {@code mm.stream.events}. */
  public static final String EVENTS = "events.avro";
  /** FrameFeatures, as on {@code mm.video.frames}. */
  public static final String FRAMES = "frames.avro";
  /** AudioFeatures, as on {@code mm.audio.logmel}. */
  public static final String AUDIO = "audio.avro";
  /** TokenFeatures, as on {@code mm.text.tokens}. */
  public static final String TOKENS = "tokens.avro";

  private FeatureFiles() {}
}
