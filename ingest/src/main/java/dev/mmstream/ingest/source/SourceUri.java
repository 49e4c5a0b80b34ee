package dev.mmstream.ingest.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * What ingest reads: a media file, a network stream (rtsp, rtmp, http(s), HLS, srt, udp) or a capture
 * device ({@code v4l2:/dev/video0}, {@code alsa:hw:0}). Checked up front so a typo fails with a
 * clear message instead of deep inside FFmpeg.
 */
public record SourceUri(String uri, Kind kind, String ffmpegInput, String ffmpegFormat) {
  /** Where the media comes from; decides timeouts and pacing. */
  public enum Kind {
    FILE,
    NETWORK,
    DEVICE
  }

  private static final Set<String> NETWORK_SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "http", "https", "srt", "udp", "tcp");
  private static final Set<String> DEVICE_FORMATS = Set.of("v4l2", "alsa", "pulse");

  public static SourceUri parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new InvalidSourceException("no source given: pass --source with a file, a URL or a device");
    }
    int colon = uri.indexOf(':');
    String scheme = colon > 1 ? uri.substring(0, colon).toLowerCase(Locale.ROOT) : "";
    if (NETWORK_SCHEMES.contains(scheme)) {
      return new SourceUri(uri, Kind.NETWORK, uri, null);
    }
    if (DEVICE_FORMATS.contains(scheme)) {
      return new SourceUri(uri, Kind.DEVICE, uri.substring(colon + 1), scheme);
    }
    Path path = Path.of(scheme.equals("file") ? uri.substring(colon + 1).replaceFirst("^//", "") : uri);
    if (!Files.exists(path)) {
      throw new InvalidSourceException("media file " + path + " does not exist");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new InvalidSourceException("media file " + path + " is not a readable file");
    }
    try {
      if (Files.size(path) == 0) {
        throw new InvalidSourceException("media file " + path + " is empty (0 bytes)");
      }
    } catch (java.io.IOException e) {
      throw new InvalidSourceException("cannot read media file " + path + ": " + e.getMessage());
    }
    return new SourceUri(uri, Kind.FILE, path.toAbsolutePath().toString(), null);
  }

  public boolean isFile() {
    return kind == Kind.FILE;
  }
}
