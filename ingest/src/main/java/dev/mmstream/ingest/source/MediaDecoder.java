package dev.mmstream.ingest.source;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;

import java.nio.FloatBuffer;
import java.util.Locale;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one source with FFmpeg (JavaCV): video sampled by timestamp, and only the sampled frames
 * converted to BGR; audio resampled to 16 kHz mono float. Owns the grabber and the converter;
 * {@link #close()} releases them.
 */
public final class MediaDecoder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MediaDecoder.class);

  static {
    FfmpegLog.install();
  }

  /** Media may end this much before the stated duration (rounding, a short last audio packet). */
  private static final long TRUNCATION_SLACK_MS = 1_000;

  private final SourceUri source;
  private final FFmpegFrameGrabber grabber;
  private final FrameSampler sampler;
  private final BgrConverter toBgr = new BgrConverter();
  private float[] audioBuffer = new float[4096];
  private long lastPtsMs = -1;

  private MediaDecoder(SourceUri source, FFmpegFrameGrabber grabber, FrameSampler sampler) {
    this.source = source;
    this.grabber = grabber;
    this.sampler = sampler;
  }

  /** Opens the source; fails with {@link InvalidSourceException} when it cannot be read as media. */
  public static MediaDecoder open(SourceUri source, DecoderOptions options) {
    var grabber = new FFmpegFrameGrabber(source.ffmpegInput());
    if (source.ffmpegFormat() != null) {
      grabber.setFormat(source.ffmpegFormat());
    }
    if (source.kind() == SourceUri.Kind.NETWORK) {
      // JavaCV opens a network input a second time when the first attempt fails (it retries without
      // its pixel_format option), so each socket wait gets half the budget: a server that never
      // answers then fails within the timeout, not twice it. "timeout" bounds RTSP, HTTP and TCP socket
      // I/O; "rw_timeout" bounds every protocol's reads (RTSP ignores it).
      String halfMicros = Long.toString(options.timeout().toMillis() * 1000 / 2);
      grabber.setOption("timeout", halfMicros);
      grabber.setOption("rw_timeout", halfMicros);
    }
    grabber.setSampleRate(DecoderOptions.SAMPLE_RATE);
    grabber.setAudioChannels(1);
    grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
    // Pictures stay in the codec's format; the sampled ones are converted by BgrConverter.
    grabber.setImageMode(FrameGrabber.ImageMode.RAW);
    grabber.setVideoOption("threads", Integer.toString(options.decodeThreads()));
    long started = System.nanoTime();
    FfmpegLog.clear();
    try {
      grabber.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      release(grabber);
      long waitedMs = (System.nanoTime() - started) / 1_000_000;
      if (source.kind() == SourceUri.Kind.NETWORK && waitedMs >= options.timeout().toMillis() * 9 / 10) {
        throw new InvalidSourceException(String.format(Locale.ROOT,
            "%s did not answer within %.0f s (%s): check that the server is up and the URL is right",
            describe(source), waitedMs / 1000.0, FfmpegErrors.explain(e)), e);
      }
      throw new InvalidSourceException(describe(source) + " cannot be opened as media: " + FfmpegErrors.explain(e)
          + FfmpegLog.lastError().map(line -> " (FFmpeg: " + line + ")").orElse("")
          + (source.isFile() ? "; is it a complete audio or video file?" : ""), e);
    }
    if (!grabber.hasVideo() && !grabber.hasAudio()) {
      release(grabber);
      throw new InvalidSourceException(describe(source) + " has neither a video nor an audio stream");
    }
    log.info("opened {}: video {} ({}x{} @ {} fps), audio {}", source.uri(),
        grabber.hasVideo(), grabber.getImageWidth(), grabber.getImageHeight(),
        String.format(Locale.ROOT, "%.2f", grabber.getFrameRate()), grabber.hasAudio());
    return new MediaDecoder(source, grabber, new FrameSampler(options.fps()));
  }

  public boolean hasVideo() {
    return grabber.hasVideo();
  }

  public boolean hasAudio() {
    return grabber.hasAudio();
  }

  /** Media duration as the container states it, milliseconds; 0 when unknown (live sources). */
  public long durationMs() {
    return Math.max(0, grabber.getLengthInTime() / 1000);
  }

  /** Presentation time of the newest decoded frame or sample, milliseconds (-1 before the first). */
  public long positionMs() {
    return lastPtsMs;
  }

  /**
   * Decodes the next frame and hands it on when wanted.
   *
   * @return false at the end of the media
   * @throws InvalidSourceException when the source breaks mid-way (what was decoded before stays delivered)
   */
  public boolean next(DecodedMedia into) {
    Frame frame;
    try {
      frame = grabber.grabFrame(true, true, true, false, false);
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new InvalidSourceException(
          describe(source) + " broke off at " + Math.max(lastPtsMs, 0) + " ms: " + FfmpegErrors.explain(e), e);
    }
    if (frame == null) {
      requireWholeMedia();
      return false;
    }
    long ptsMs = Math.max(0, frame.timestamp / 1000);
    lastPtsMs = Math.max(lastPtsMs, ptsMs);
    if (frame.image != null && sampler.accept(ptsMs)) {
      into.video(toBgr.convert((AVFrame) frame.opaque), ptsMs);
    } else if (frame.samples != null) {
      var samples = (FloatBuffer) frame.samples[0];
      int n = samples.remaining();
      if (audioBuffer.length < n) {
        audioBuffer = new float[n];
      }
      samples.get(audioBuffer, 0, n);
      into.audio(audioBuffer, n, ptsMs);
    }
    return true;
  }

  /**
   * JavaCV reports every read error as the end of the media, so a download that broke off or a file cut
   * short would pass for a complete one. Tells them apart: an I/O error left on the input, or a media
   * end well before the duration the container states.
   */
  private void requireWholeMedia() {
    AVFormatContext format = grabber.getFormatContext();
    AVIOContext io = format == null ? null : format.pb();
    long reached = Math.max(lastPtsMs, 0);
    if (io != null && io.error() < 0 && io.error() != AVERROR_EOF) {
      throw new InvalidSourceException(String.format(Locale.ROOT, "%s broke off at %.1f s: %s",
          describe(source), reached / 1000.0, FfmpegErrors.text(io.error())));
    }
    long stated = durationMs();
    if (stated > 0 && stated - reached > Math.max(TRUNCATION_SLACK_MS, stated / 10)) {
      throw new InvalidSourceException(String.format(Locale.ROOT,
          "%s ends at %.1f s but its header says %.1f s: it is truncated (the first %.1f s were ingested)",
          describe(source), reached / 1000.0, stated / 1000.0, reached / 1000.0));
    }
  }

  @Override
  public void close() {
    try (toBgr) {
      release(grabber);
    }
  }

  private static void release(FFmpegFrameGrabber grabber) {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      log.warn("closing the decoder failed: {}", e.getMessage());
    }
  }

  private static String describe(SourceUri source) {
    return switch (source.kind()) {
      case FILE -> "file " + source.ffmpegInput();
      case NETWORK -> "stream " + source.uri();
      case DEVICE -> "device " + source.uri();
    };
  }
}
