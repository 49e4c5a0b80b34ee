package dev.mmstream.ingest.source;

import java.util.Optional;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's own log lines ("moov atom not found", ...) go to the debug log, never straight to the terminal,
 * where they would break a progress line; the last error line of each thread is kept so that a failed open
 * can say in its one-line message what FFmpeg saw.
 */
final class FfmpegLog extends LogCallback {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mmstream.ffmpeg");
  /** Held for the life of the process: FFmpeg keeps calling the native thunk behind it. */
  private static final FfmpegLog INSTANCE = new FfmpegLog();
  private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();
  /** FFmpeg's context prefix, e.g. "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x7fac39f77200] ": a pointer means nothing to a user. */
  private static final Pattern CONTEXT = Pattern.compile("^\\[[^\\]]*@ 0x[0-9a-fA-F]+\\]\\s*");

  private FfmpegLog() {}

  static void install() {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    avutil.setLogCallback(INSTANCE);
  }

  @Override
  public void call(int level, BytePointer message) {
    String line = message == null ? "" : message.getString().strip();
    if (line.isEmpty()) {
      return;
    }
    if (level <= avutil.AV_LOG_ERROR) {
      LAST_ERROR.set(CONTEXT.matcher(line).replaceFirst(""));
    }
    LOG.debug("ffmpeg: {}", line);
  }

  /** Forgets this thread's last error line, before an operation whose failure should report its own. */
  static void clear() {
    LAST_ERROR.remove();
  }

  /** FFmpeg's last error line on this thread since {@link #clear()}, if it logged one. */
  static Optional<String> lastError() {
    return Optional.ofNullable(LAST_ERROR.get());
  }
}
