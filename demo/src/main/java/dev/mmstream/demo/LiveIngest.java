package dev.mmstream.demo;

import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.ingest.pipeline.IngestOutcome;
import dev.mmstream.ingest.pipeline.IngestPipeline;
import dev.mmstream.ingest.pipeline.Pacer;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.ingest.publish.KafkaFeatureSink;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.ingest.video.ThumbnailSampler;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Task;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays one demo source as a live stream, at real-time pace, over and over, with thumbnails for the dashboard: each pass is a new
 * stream ({@code name/1}, {@code name/2}, ...) with its own START and END. Owns its thread; the
 * featurizers (their models) are shared with the demo's other streams. {@link #close()} stops it.
 */
final class LiveIngest implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveIngest.class);

  private final DemoSource source;
  private final String bootstrap;
  private final Topics topics;
  private final Featurizers featurizers;
  private final Thread thread;

  LiveIngest(DemoSource source, String bootstrap, Topics topics, Featurizers featurizers) {
    this.source = source;
    this.bootstrap = bootstrap;
    this.topics = topics;
    this.featurizers = featurizers;
    this.thread = new Thread(this::run, "ingest-" + source.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      for (int pass = 1; !Thread.currentThread().isInterrupted(); pass++) {
        var request = new StreamRequest(source.name() + "/" + pass, SourceUri.parse(source.uri()), source.captions(),
            Task.EMOTION, Map.of("title", source.name()), StreamRequest.originNow());
        var sink = new KafkaFeatureSink(bootstrap, topics, request.originMs(), Map.of());
        try {
          IngestOutcome outcome = new IngestPipeline(featurizers, new DecoderOptions(5, Duration.ofSeconds(10)),
              Pacer.realtime(), position -> {}).withThumbnails(ThumbnailSampler.Options.DEFAULT).run(request, sink);
          if (outcome instanceof IngestOutcome.Failed failed) {
            log.warn("{}: {}", source.name(), failed.reason());
            return;
          }
        } finally {
          closeUninterrupted(sink);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!thread.isInterrupted()) { // an interrupt is the demo stopping, not a failure
        log.error("{} stopped: {}", source.name(), e.getMessage());
      }
    }
  }

  /**
   * Closing the producer joins its I/O thread, which the demo's stop (an interrupt) would abort with an
   * error and unsent records; the interrupt is kept for the loop to see.
   */
  private static void closeUninterrupted(KafkaFeatureSink sink) {
    boolean interrupted = Thread.interrupted();
    try {
      sink.close();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(10_000);
  }
}
