package dev.mmstream.demo;

import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.streams.topology.AlignerMetrics;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The web dashboard fed from the broker: every emotion and genre prediction the {@link LiveFeed} reads
 * goes to the {@link DashboardServer}'s page (and into its history, for pages opened later), and so does
 * each stream's newest thumbnail.
 * Serves on 127.0.0.1:{@code port} (0 = a free port) from construction; reads once {@link #start()}ed.
 * Owns the feed and the server; {@link #close()} stops the feed, then the server.
 */
final class LiveDashboard implements AutoCloseable {
  private final DashboardServer server;
  private final LiveFeed feed;
  private final AtomicLong thumbnails = new AtomicLong();

  LiveDashboard(String bootstrapServers, Topics topics, int port) {
    this.server = new DashboardServer(port);
    try {
      this.feed = new LiveFeed(bootstrapServers, topics);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    feed.subscribe(p -> server.publish(PredictionJson.prediction(p), true));
    feed.subscribeThumbnails((t, at) -> server.publishThumbnail(LiveTable.sourceOf(t.getStreamId()), bytes(t.getJpeg()),
        PredictionJson.thumbnail(t, at, thumbnails.incrementAndGet())));
  }

  /** One more listener of the same predictions (the terminal table, say); subscribe before {@link #start()}. */
  void subscribe(Consumer<Prediction> listener) {
    feed.subscribe(listener);
  }

  void start() {
    feed.start();
  }

  /** True once every prediction committed from now on reaches the page (see {@link LiveFeed#reading()}). */
  boolean reading() {
    return feed.reading();
  }

  /** The header's metrics; a snapshot, so pages opened later do not get old ones. */
  void publishMetrics(AlignerMetrics m, double windowsPerSecond, long p50Ms, long p99Ms) {
    server.publish(PredictionJson.metrics(m, windowsPerSecond, p50Ms, p99Ms), false);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() throws InterruptedException {
    try {
      feed.close();
    } finally {
      server.close();
    }
  }
}
