package dev.mmstream.ingest.transcript;

import java.nio.file.Path;
import java.util.Locale;

/** Sidecar caption formats, chosen by file extension, else by the WebVTT header. */
public enum CaptionFormat {
  SRT(new SrtParser()),
  WEBVTT(new VttParser());

  private final CaptionParser parser;

  CaptionFormat(CaptionParser parser) {
    this.parser = parser;
  }

  public CaptionParser parser() {
    return parser;
  }

  /** The format of {@code file}: {@code .srt} or {@code .vtt}, else WebVTT iff the text says so. */
  public static CaptionFormat of(Path file, String content) {
    String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    if (name.endsWith(".srt")) {
      return SRT;
    }
    if (name.endsWith(".vtt")) {
      return WEBVTT;
    }
    return content.replace("\uFEFF", "").stripLeading().startsWith("WEBVTT") ? WEBVTT : SRT;
  }
}
