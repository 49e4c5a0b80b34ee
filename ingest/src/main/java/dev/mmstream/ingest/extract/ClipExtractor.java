package dev.mmstream.ingest.extract;

import dev.mmstream.align.StreamFeatures;
import dev.mmstream.align.WindowAssembler;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.ingest.pipeline.IngestOutcome;
import dev.mmstream.ingest.pipeline.IngestPipeline;
import dev.mmstream.ingest.pipeline.Pacer;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.ingest.publish.CollectingSink;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.ingest.video.MissingModelException;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.CatalogueFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.TokenFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One worker: runs the live ingest pipeline on a clip into memory (no Kafka), assembles its windows
 * with the streams app's window assembler, and writes both. Owns its featurizers (the text model is
 * loaded once per worker); not thread-safe, one per worker thread.
 */
final class ClipExtractor implements AutoCloseable {
  /** Extract's streams start at media time 0: window bounds are then media milliseconds. */
  static final long ORIGIN_MS = 0;

  private final ExtractSettings settings;
  private final DatasetLayout layout;
  private final Featurizers featurizers;
  private final IngestPipeline pipeline;
  private final WindowAssembler assembler;

  ClipExtractor(ExtractSettings settings, DatasetLayout layout) {
    this.settings = settings;
    this.layout = layout;
    this.featurizers = settings.featurizers();
    this.pipeline = new IngestPipeline(featurizers, settings.decoder(), Pacer.AS_FAST_AS_POSSIBLE, mediaMs -> {});
    this.assembler = new WindowAssembler(settings.windowSpec());
  }

  /**
   * @return Extracted, or Failed with the reason when the media cannot be decoded or its features
   *     cannot become windows; infrastructure failures (models, disk) are thrown
   */
  ClipOutcome extract(Clip clip, String resumeKey) throws InterruptedException, IOException {
    var sink = new CollectingSink();
    IngestOutcome outcome;
    try {
      var request = new StreamRequest(clip.id(), clip.media().map(m -> SourceUri.parse(m.toString())), clip.captions(),
          settings.task(), clip.metadata(), ORIGIN_MS);
      outcome = pipeline.run(request, sink);
    } catch (MissingModelException e) {
      throw e; // not the clip's fault: every clip would fail the same way
    } catch (RuntimeException e) {
      // Media and captions are untrusted input: whatever breaks while reading one clip fails that clip only.
      return new ClipOutcome.Failed(clip.id(), describe(e));
    }
    if (outcome instanceof IngestOutcome.Failed failed) {
      return new ClipOutcome.Failed(clip.id(), failed.reason());
    }
    if (outcome.mediaMs() <= 0) {
      return new ClipOutcome.Failed(clip.id(), clip.media()
          .map(m -> "no audio or video could be decoded from " + m)
          .orElseGet(() -> "captions " + clip.captions().orElseThrow() + " hold no valid cue (a text-only clip needs at least one)"));
    }
    List<ModelWindow> windows;
    try {
      windows = assemble(clip, sink, outcome.mediaMs());
    } catch (RuntimeException e) {
      return new ClipOutcome.Failed(clip.id(), describe(e));
    }
    writeFeatures(clip.id(), sink);
    writeWindows(clip.id(), windows, resumeKey);
    return new ClipOutcome.Extracted(clip.id(), windows.size(), outcome.mediaMs());
  }

  private List<ModelWindow> assemble(Clip clip, CollectingSink sink, long mediaEndMs) {
    var features = new StreamFeatures(sink.frames(), sink.audio(), sink.tokens());
    CatalogueFeatures catalogue = sink.events().stream().filter(e -> e.getType() == StreamEventType.START)
        .map(StreamEvent::getCatalogue).filter(Objects::nonNull).findFirst().orElse(null);
    var windows = new ArrayList<ModelWindow>();
    for (WindowBounds bounds : settings.windows(mediaEndMs)) {
      ModelWindow window = assembler.assemble(clip.id(), settings.task(), features, bounds);
      window.setLabels(clip.labels());
      window.setSplit(clip.split());
      window.setCatalogue(catalogue); // what START carried to the streams app, which puts it in the trailer's window
      windows.add(window);
    }
    return windows;
  }

  private void writeFeatures(String clipId, CollectingSink sink) throws IOException {
    Path partial = layout.partialFeatures(clipId);
    DatasetLayout.deleteTree(partial);
    Files.createDirectories(partial);
    Map<String, String> meta = Map.of("mmstream.clip", clipId);
    // a map's order means nothing, but it decides the bytes: sort START metadata so reruns write identical files
    sink.events().forEach(e -> e.setMetadata(new TreeMap<>(e.getMetadata())));
    AvroContainers.write(partial.resolve(FeatureFiles.EVENTS), StreamEvent.class, sink.events(), clipId + "/events", meta);
    AvroContainers.write(partial.resolve(FeatureFiles.FRAMES), FrameFeatures.class, sink.frames(), clipId + "/frames", meta);
    AvroContainers.write(partial.resolve(FeatureFiles.AUDIO), AudioFeatures.class, sink.audio(), clipId + "/audio", meta);
    AvroContainers.write(partial.resolve(FeatureFiles.TOKENS), TokenFeatures.class, sink.tokens(), clipId + "/tokens", meta);
    DatasetLayout.publish(partial, layout.features(clipId));
  }

  private void writeWindows(String clipId, List<ModelWindow> windows, String resumeKey) throws IOException {
    Path partial = layout.partialWindows(clipId);
    AvroContainers.write(partial, ModelWindow.class, windows, clipId + "/windows",
        new TreeMap<>(Map.of("mmstream.clip", clipId, ResumeKey.META, resumeKey)));
    DatasetLayout.publish(partial, layout.windows(clipId));
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    // our own exceptions carry complete messages; anything else also says what kind of failure it was
    return e.getClass().getName().startsWith("dev.mmstream.") && !message.isEmpty()
        ? message
        : e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  @Override
  public void close() {
    featurizers.close();
  }
}
