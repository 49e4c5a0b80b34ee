package dev.mmstream.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VttParserTest {

  private final VttParser parser = new VttParser();

  @Test
  void readsCuesAndIgnoresHeaderNotesStylesAndSettings() {
    String vtt = String.join("\r\n",
        "\uFEFFWEBVTT - trailer captions",
        "Kind: captions",
        "",
        "STYLE",
        "::cue { color: yellow }",
        "",
        "NOTE this block is a comment",
        "with two lines",
        "",
        "intro",
        "00:01.000 --> 00:02.500 position:10%,line-left align:left size:35%",
        "<v Roger Bingham>We are in New York City</v>",
        "",
        "00:00:03.000 --> 00:00:05.000 line:0",
        "<c.loud>Sure</c>, <00:00:03.500><i>it's</i> <ruby>東京<rt>とうきょう</rt></ruby>",
        "&lt;tag&gt;&nbsp;&amp;amp;");

    ParsedCaptions parsed = parser.parse(vtt);

    assertThat(parsed.warnings()).isEmpty();
    assertThat(parsed.cues()).containsExactly(
        new Cue(0, 1_000, 2_500, "We are in New York City"),
        new Cue(1, 3_000, 5_000, "Sure, it's 東京 <tag> &amp;"));
  }

  @Test
  void skipsMalformedCueWithItsLineNumber() {
    String vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:00.500\nbackwards\n\n"
        + "2\n00:00:02.000 --> 00:00:03.000\nfine\n";

    ParsedCaptions parsed = parser.parse(vtt);

    assertThat(parsed.cues()).containsExactly(new Cue(0, 2_000, 3_000, "fine"));
    assertThat(parsed.warnings()).singleElement().asString().startsWith("line 4: cue ends");
  }

  @Test
  void warnsAboutAMissingHeaderButKeepsTheCues() {
    ParsedCaptions parsed = parser.parse("00:00:01.000 --> 00:00:02.000\nno header\n");

    assertThat(parsed.cues()).containsExactly(new Cue(0, 1_000, 2_000, "no header"));
    assertThat(parsed.warnings()).containsExactly(
        "line 1: no WEBVTT header; reading cues anyway");
  }
}
