package dev.mmstream.ingest.transcript;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_PROP_TEXT_SUB;
import static org.bytedeco.ffmpeg.global.avcodec.SUBTITLE_ASS;
import static org.bytedeco.ffmpeg.global.avcodec.SUBTITLE_TEXT;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_decode_subtitle2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avsubtitle_free;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVSubtitle;
import org.bytedeco.ffmpeg.avcodec.AVSubtitleRect;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

/**
 * Reads the first text subtitle stream of a media file (mov_text in MP4, subrip/webvtt/ass in MKV,
 * ...) into cues with FFmpeg's libavformat/libavcodec through JavaCV's bindings; no ffmpeg binary.
 * A cue spans its packet's pts to pts + duration, in milliseconds of the media timeline. Bitmap
 * subtitles (PGS, DVD) carry no text: they are reported in the warnings and yield no cues.
 */
public final class EmbeddedSubtitleReader {

  private EmbeddedSubtitleReader() {}

  /**
   * Cues of the first text subtitle stream; no cues (and no error) when the file has none.
   *
   * @throws CaptionException if the file is missing or FFmpeg cannot open or demux it
   */
  public static ParsedCaptions read(Path media) {
    if (!Files.isRegularFile(media)) {
      throw new CaptionException(media + ": media file not found; check the path");
    }
    AVFormatContext format = new AVFormatContext(null);
    check(avformat_open_input(format, media.toString(), null, null), media, "cannot open media");
    try {
      check(avformat_find_stream_info(format, (AVDictionary) null), media, "cannot probe streams");
      List<String> warnings = new ArrayList<>();
      AVStream stream = firstTextSubtitle(format, warnings);
      if (stream == null) {
        return new ParsedCaptions(List.of(), warnings);
      }
      return decode(media, format, stream, warnings);
    } finally {
      avformat_close_input(format);
    }
  }

  private static AVStream firstTextSubtitle(AVFormatContext format, List<String> warnings) {
    AVStream found = null;
    for (int i = 0; i < format.nb_streams(); i++) {
      AVStream stream = format.streams(i);
      int codecId = stream.codecpar().codec_id();
      AVCodecDescriptor descriptor = avcodec_descriptor_get(codecId);
      boolean subtitle = stream.codecpar().codec_type() == AVMEDIA_TYPE_SUBTITLE;
      boolean text = descriptor != null && (descriptor.props() & AV_CODEC_PROP_TEXT_SUB) != 0;
      if (found == null && subtitle && text) {
        found = stream;
      } else {
        if (subtitle && !text) {
          warnings.add("stream #" + i + " (" + codecName(codecId) + ") is a bitmap subtitle;"
              + " only text subtitles are read");
        }
        stream.discard(AVDISCARD_ALL); // the demuxer then skips its packets cheaply
      }
    }
    return found;
  }

  private static ParsedCaptions decode(
      Path media, AVFormatContext format, AVStream stream, List<String> warnings) {
    int codecId = stream.codecpar().codec_id();
    AVCodec codec = avcodec_find_decoder(codecId);
    if (codec == null) {
      throw new CaptionException(media + ": this FFmpeg build has no decoder for subtitle codec "
          + codecName(codecId));
    }
    AVCodecContext context = avcodec_alloc_context3(codec);
    AVPacket packet = av_packet_alloc();
    try {
      check(avcodec_parameters_to_context(context, stream.codecpar()), media, "bad codec params");
      context.pkt_timebase(stream.time_base());
      check(avcodec_open2(context, codec, (AVDictionary) null), media, "cannot open decoder");
      List<Cue> cues = new ArrayList<>();
      try (var packets = new SubtitlePackets(context, stream.time_base(), cues, warnings)) {
        int rc;
        while ((rc = av_read_frame(format, packet)) >= 0) {
          try {
            if (packet.stream_index() == stream.index()) {
              packets.accept(packet);
            }
          } finally {
            av_packet_unref(packet);
          }
        }
        if (rc != AVERROR_EOF) {
          warnings.add("reading stopped early: " + error(rc));
        }
      }
      return new ParsedCaptions(cues, warnings);
    } finally {
      av_packet_free(packet);
      avcodec_free_context(context);
    }
  }

  /** Decodes one subtitle packet at a time into the next cue; owns its native scratch structs. */
  private static final class SubtitlePackets implements AutoCloseable {
    private final AVCodecContext context;
    private final AVRational timeBase;
    private final List<Cue> cues;
    private final List<String> warnings;
    private final AVSubtitle subtitle = new AVSubtitle();
    private final AVRational millisecond = new AVRational().num(1).den(1000);
    private final int[] got = new int[1];

    SubtitlePackets(AVCodecContext context, AVRational timeBase, List<Cue> cues,
        List<String> warnings) {
      this.context = context;
      this.timeBase = timeBase;
      this.cues = cues;
      this.warnings = warnings;
    }

    void accept(AVPacket packet) {
      long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
      if (pts == AV_NOPTS_VALUE) {
        warnings.add("subtitle packet without timestamp; skipped");
        return;
      }
      long ptsMs = millis(pts);
      int rc = avcodec_decode_subtitle2(context, subtitle, got, packet);
      if (rc < 0) {
        warnings.add("subtitle packet at " + ptsMs + " ms: cannot decode (" + error(rc) + ")");
        return;
      }
      if (got[0] == 0) {
        return;
      }
      try {
        // MP4 writes an empty sample for each gap between cues: not a cue, nothing to report.
        String text = text(subtitle);
        if (!text.isEmpty()) {
          long start = Math.max(0, ptsMs + Integer.toUnsignedLong(subtitle.start_display_time()));
          long end = Math.max(start, endMillis(packet, pts, ptsMs));
          cues.add(new Cue(cues.size(), start, end, text));
        }
      } finally {
        avsubtitle_free(subtitle);
      }
    }

    // Packet duration first (MP4 and MKV set it); else the decoder's display time; else 0 ms.
    private long endMillis(AVPacket packet, long pts, long ptsMs) {
      if (packet.duration() > 0) {
        return millis(pts + packet.duration());
      }
      long display = Integer.toUnsignedLong(subtitle.end_display_time());
      if (display > 0 && display != 0xFFFFFFFFL) {
        return ptsMs + display;
      }
      warnings.add("subtitle packet at " + ptsMs + " ms has no duration; cue kept with 0 ms");
      return ptsMs;
    }

    private long millis(long ticks) {
      return av_rescale_q(ticks, timeBase, millisecond);
    }

    @Override
    public void close() {
      subtitle.close();
      millisecond.close();
    }
  }

  private static String text(AVSubtitle subtitle) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < subtitle.num_rects(); i++) {
      AVSubtitleRect rect = subtitle.rects(i);
      if (rect.type() == SUBTITLE_ASS && rect.ass() != null) {
        parts.add(CaptionText.fromAssDialogue(utf8(rect.ass())));
      } else if (rect.type() == SUBTITLE_TEXT && rect.text() != null) {
        parts.add(CaptionText.plain(List.of(utf8(rect.text()))));
      }
    }
    return String.join(" ", parts).strip();
  }

  private static String utf8(BytePointer pointer) {
    return pointer.getString(StandardCharsets.UTF_8);
  }

  private static String codecName(int codecId) {
    return avcodec_get_name(codecId).getString();
  }

  private static void check(int rc, Path media, String what) {
    if (rc < 0) {
      throw new CaptionException(media + ": FFmpeg " + what + " (" + error(rc) + ")");
    }
  }

  private static String error(int rc) {
    byte[] buffer = new byte[128];
    av_strerror(rc, buffer, buffer.length);
    return new String(buffer, StandardCharsets.US_ASCII).trim().replace("\0", "");
  }
}
