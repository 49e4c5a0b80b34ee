package dev.mmstream.ingest.source;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg error codes as the words a user can act on ("Connection refused", "Invalid data ..."). */
final class FfmpegErrors {
  // JavaCV's messages carry the code: "avformat_open_input() error -111: Could not open input ..."
  private static final Pattern CODE = Pattern.compile("error (-\\d+)");

  private FfmpegErrors() {}

  static String text(int code) {
    byte[] buffer = new byte[128];
    avutil.av_strerror(code, buffer, buffer.length);
    int end = 0;
    while (end < buffer.length && buffer[end] != 0) {
      end++;
    }
    return new String(buffer, 0, end, StandardCharsets.US_ASCII).trim();
  }

  /** FFmpeg's own words for the code inside a JavaCV exception, else the exception's message. */
  static String explain(Exception e) {
    String message = e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    Matcher m = CODE.matcher(message);
    return m.find() ? text(Integer.parseInt(m.group(1))) : message;
  }
}
