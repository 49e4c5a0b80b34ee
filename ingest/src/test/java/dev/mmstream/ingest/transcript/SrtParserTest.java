package dev.mmstream.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SrtParserTest {

  private final SrtParser parser = new SrtParser();

  @Test
  void readsCuesWithMarkupRemovedAndLinesJoined() {
    String srt = "\uFEFF1\r\n"
        + "00:00:01,000 --> 00:00:02,500\r\n"
        + "<i>Hello</i> <b>there</b>,\r\n"
        + "<font color=\"#ffffff\">General</font> Kenobi!\r\n"
        + "\r\n"
        + "2\r\n"
        + "00:00:03,250 --> 00:01:04,000 X1:10 X2:100 Y1:5 Y2:50\r\n"
        + "{\\an8}Tom &amp; Jerry: 3 < 4\r\n"; // no final blank line

    ParsedCaptions parsed = parser.parse(srt);

    assertThat(parsed.warnings()).isEmpty();
    assertThat(parsed.cues()).containsExactly(
        new Cue(0, 1_000, 2_500, "Hello there, General Kenobi!"),
        new Cue(1, 3_250, 64_000, "Tom & Jerry: 3 < 4"));
  }

  @Test
  void acceptsHoursAboveTwentyFourAndBareLfAndCrEndings() {
    String srt = "7\n10:59:59,999 --> 11:00:00,000\nlate\n\n8\r00:00:00,000 --> 00:00:00,000\rzero\r";

    assertThat(parser.parse(srt).cues()).containsExactly(
        new Cue(0, 39_599_999, 39_600_000, "late"),
        new Cue(1, 0, 0, "zero"));
  }

  @Test
  void skipsMalformedCuesAndReportsTheirLines() {
    String srt = String.join("\n",
        "1",
        "00:00:01,000 --> 00:00:02,000",
        "good one",
        "",
        "2",
        "00:00:0x,000 --> 00:00:04,000", // line 6: bad timestamp
        "bad time",
        "",
        "3",
        "00:00:05,000 --> 00:00:04,000", // line 10: ends before it starts
        "backwards",
        "",
        "4",
        "00:00:06,000 --> 00:00:07,000", // line 14: no text
        "",
        "5",
        "00:00:08,000 --> 00:00:09,000",
        "<i></i>", // line 18: only markup, so no text either
        "",
        "just some text without timing", // line 20
        "",
        "6",
        "00:01:70,000 --> 00:01:71,000", // line 23: seconds out of range
        "bad seconds",
        "",
        "7",
        "00:00:10,000 --> 00:00:11,000",
        "good two");

    ParsedCaptions parsed = parser.parse(srt);

    assertThat(parsed.cues()).containsExactly(
        new Cue(0, 1_000, 2_000, "good one"),
        new Cue(1, 10_000, 11_000, "good two"));
    assertThat(parsed.warnings()).hasSize(6);
    assertThat(parsed.warnings().get(0)).startsWith("line 6: bad timing line");
    assertThat(parsed.warnings().get(1)).startsWith("line 10: cue ends (4000 ms) before");
    assertThat(parsed.warnings().get(2)).isEqualTo("line 14: cue has no text; cue skipped");
    assertThat(parsed.warnings().get(3)).startsWith("line 17: cue has no text");
    assertThat(parsed.warnings().get(4)).startsWith("line 20: no timing line");
    assertThat(parsed.warnings().get(5)).startsWith("line 23: minutes or seconds above 59");
  }

  @Test
  void emptyInputHasNoCuesAndNoWarnings() {
    assertThat(parser.parse("")).isEqualTo(ParsedCaptions.empty());
    assertThat(parser.parse("\uFEFF\r\n\r\n")).isEqualTo(ParsedCaptions.empty());
  }
}
