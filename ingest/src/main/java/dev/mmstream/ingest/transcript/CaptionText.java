package dev.mmstream.ingest.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Line splitting and markup removal shared by the caption readers. */
final class CaptionText {

  /** A run of non-blank lines; {@code firstLine} is 1-based, as editors show it. */
  record Block(int firstLine, List<String> lines) {}

  private static final char BOM = '\uFEFF';
  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
  // Tags start with a letter or '/', so a literal "a < b" in SRT text survives; VTT inline
  // timestamps (<00:01.500>) are the only tags that start with a digit.
  // Ruby text is a reading aid (furigana), not more words: dropped with its tags.
  private static final Pattern RUBY_TEXT = Pattern.compile("<rt(?:[.\\s][^>]*)?>.*?</rt>");
  private static final Pattern TAG = Pattern.compile("</?[A-Za-z][^<>]*>|<\\d[\\d:.]*>");
  // ASS override blocks: {\an8} in SRT files, {\i1} in decoded embedded subtitles.
  private static final Pattern ASS_OVERRIDE = Pattern.compile("\\{\\\\[^}]*}");
  private static final Pattern ASS_BREAK = Pattern.compile("\\\\[Nnh]");
  private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u200E\\u200F]+");
  private static final Pattern NUMERIC_ENTITY =
      Pattern.compile("&#x([0-9A-Fa-f]{1,6});|&#(\\d{1,7});");
  private static final int ASS_DIALOGUE_FIELDS = 9;

  private CaptionText() {}

  /** Lines of a file's text, without a leading BOM, for LF, CRLF or CR endings. */
  static List<String> lines(String content) {
    String text = !content.isEmpty() && content.charAt(0) == BOM ? content.substring(1) : content;
    return List.of(LINE_BREAK.split(text, -1));
  }

  /** Blocks of non-blank lines; a missing final blank line still closes the last block. */
  static List<Block> blocks(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int first = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          blocks.add(new Block(first, List.copyOf(current)));
          current.clear();
        }
      } else {
        if (current.isEmpty()) {
          first = i + 1;
        }
        current.add(line);
      }
    }
    if (!current.isEmpty()) {
      blocks.add(new Block(first, List.copyOf(current)));
    }
    return blocks;
  }

  /** Display text of SRT/VTT cue lines: markup and entities removed, lines joined by one space. */
  static String plain(List<String> cueLines) {
    return normalize(String.join(" ", cueLines));
  }

  /**
   * Display text of one decoded ASS dialogue event ({@code ReadOrder,Layer,Style,Name,MarginL,
   * MarginR,MarginV,Effect,Text}), which is how FFmpeg hands out every text subtitle codec.
   */
  static String fromAssDialogue(String event) {
    String[] fields = event.split(",", ASS_DIALOGUE_FIELDS);
    String text = fields.length == ASS_DIALOGUE_FIELDS ? fields[ASS_DIALOGUE_FIELDS - 1] : event;
    return normalize(ASS_BREAK.matcher(text).replaceAll(" "));
  }

  private static String normalize(String text) {
    String noRuby = RUBY_TEXT.matcher(ASS_OVERRIDE.matcher(text).replaceAll("")).replaceAll("");
    String noTags = TAG.matcher(noRuby).replaceAll("");
    return SPACES.matcher(decodeEntities(noTags)).replaceAll(" ").strip();
  }

  // The entities WebVTT defines by name, plus numeric ones; '&amp;' last so "&amp;lt;" stays "&lt;".
  private static String decodeEntities(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    String named = text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&quot;", "\"")
        .replace("&apos;", "'");
    return NUMERIC_ENTITY.matcher(named).replaceAll(m -> {
      int codePoint = m.group(1) != null
          ? Integer.parseInt(m.group(1), 16) : Integer.parseInt(m.group(2));
      return Character.isValidCodePoint(codePoint)
          ? Matcher.quoteReplacement(Character.toString(codePoint)) : "";
    }).replace("&amp;", "&");
  }
}
