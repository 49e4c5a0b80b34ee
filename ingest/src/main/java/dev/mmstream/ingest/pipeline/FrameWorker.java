package dev.mmstream.ingest.pipeline;

import dev.mmstream.ingest.publish.FeatureSink;
import dev.mmstream.ingest.video.ThumbnailSampler;
import dev.mmstream.ingest.video.VideoFeaturizer;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Thumbnail;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Runs one stream's video featurizer on a thread of its own, so face detection (the costliest step)
 * on one core overlaps with decoding and audio features on another. Frames are featurized in order by
 * that single thread (the featurizer compares each frame with the previous one), and their records
 * come back to the caller's thread in order: only the caller publishes, so sinks stay single-threaded
 * and the records are the same as without the worker. With a {@link ThumbnailSampler}, a frame's thumbnail
 * (when one is due) is made on the same thread from the same copy and published right after its features.
 * Owns the featurizer, the sampler and the thread.
 */
final class FrameWorker implements AutoCloseable {
  /** Frames decoded ahead of the featurizer; each holds a copy of one BGR frame. */
  private static final int MAX_IN_FLIGHT = 4;

  private final VideoFeaturizer featurizer;
  private final ThumbnailSampler thumbnails;
  private final ExecutorService thread;
  private final Deque<InFlight> inFlight = new ArrayDeque<>();
  // Copies are reused: a fresh 640x360 copy per frame costs more in page faults than in copying.
  private final Deque<Mat> spare = new ArrayDeque<>();

  private record InFlight(Future<Described> described, Mat copy) {}

  private record Described(FrameFeatures features, Optional<Thumbnail> thumbnail) {}

  /** @param thumbnails null: no thumbnails */
  FrameWorker(VideoFeaturizer featurizer, ThumbnailSampler thumbnails, String streamId) {
    this.featurizer = featurizer;
    this.thumbnails = thumbnails;
    this.thread = Executors.newSingleThreadExecutor(task -> {
      var t = new Thread(task, "video-features-" + streamId);
      t.setDaemon(true);
      return t;
    });
  }

  /** Queues a frame (copied: the decoder reuses its buffer) and publishes the records that are ready. */
  void submit(Mat bgr, long ptsMs, long frameIndex, FeatureSink sink) {
    Mat copy = spare.isEmpty() ? new Mat() : spare.pop();
    bgr.copyTo(copy);
    inFlight.add(new InFlight(thread.submit(() -> describe(copy, ptsMs, frameIndex)), copy));
    while (!inFlight.isEmpty() && (inFlight.peekFirst().described().isDone() || inFlight.size() > MAX_IN_FLIGHT)) {
      publish(inFlight.pollFirst(), sink);
    }
  }

  private Described describe(Mat frame, long ptsMs, long frameIndex) {
    FrameFeatures features = featurizer.describe(frame, ptsMs, frameIndex);
    return new Described(features, thumbnails == null ? Optional.empty() : thumbnails.sample(frame, features));
  }

  /** Waits for the frames still in flight and publishes them, in order. */
  void drain(FeatureSink sink) {
    while (!inFlight.isEmpty()) {
      publish(inFlight.pollFirst(), sink);
    }
  }

  /** Publishes the frame's features, then its thumbnail if it has one; its copy is free again once they are there. */
  private void publish(InFlight frame, FeatureSink sink) {
    Described described = result(frame.described());
    spare.push(frame.copy());
    sink.frame(described.features());
    described.thumbnail().ifPresent(sink::thumbnail);
  }

  private static Described result(Future<Described> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for video features", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause; // the featurizer's own failure, as if it had run on this thread
      }
      throw new IllegalStateException("video featurizer failed: " + e.getCause(), e.getCause());
    }
  }

  /** Stops the thread once its current frame is done (never while it uses the featurizer), then closes the featurizer. */
  @Override
  public void close() {
    inFlight.forEach(f -> f.described().cancel(false));
    thread.shutdown();
    try {
      if (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
        // left open on purpose: closing its ONNX sessions under a running frame would crash the JVM
        throw new IllegalStateException("the video featurizer did not finish its frame within a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the video featurizer", e);
    }
    featurizer.close();
    if (thumbnails != null) {
      thumbnails.close();
    }
    inFlight.forEach(f -> f.copy().close());
    spare.forEach(Mat::close);
  }
}
