package dev.mmstream.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Lines of a live transcript: timed, plain, blank and malformed. */
class LiveLineTest {
  @Test
  void untimedTextLastsThreeWordsASecondWithinBounds() {
    // the same cases as training/tests/test_corpora.py: import and live ingest time untimed text alike
    assertThat(LiveLine.untimedDurationMs("hi")).isEqualTo(1000);
    assertThat(LiveLine.untimedDurationMs("one two three four five six")).isEqualTo(2000);
    assertThat(LiveLine.untimedDurationMs("w ".repeat(40))).isEqualTo(3500);
  }

  @Test
  void aTimedLineKeepsItsTimesAndAPlainLineIsStampedOnArrival() {
    var timed = LiveLine.parse("12.5\t14\t  so   happy today ").orElseThrow();
    assertThat(timed.cue(0, 99_000)).isEqualTo(new Cue(0, 12_500, 14_000, "so happy today"));
    var plain = LiveLine.parse("so happy today").orElseThrow();
    assertThat(plain.cue(3, 99_000)).isEqualTo(new Cue(3, 99_000, 100_000, "so happy today"));
    assertThat(LiveLine.parse("   ")).isEqualTo(Optional.empty());
  }

  @Test
  void aLineWithTabsThatIsNotStartEndTextSaysWhatItShouldBe() {
    assertThatThrownBy(() -> LiveLine.parse("soon\t2\thello")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("START<TAB>END<TAB>TEXT");
    assertThatThrownBy(() -> LiveLine.parse("1\t2\t ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LiveLine.parse("5\t2\tback")).hasMessageContaining("before its start");
  }
}
