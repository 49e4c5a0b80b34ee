package dev.mmstream.ingest.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MetadataVectorTest {

  @Test
  void yearsAsCataloguesWriteThem() {
    assertThat(MetadataVector.year("1994")).hasValue(1994);
    assertThat(MetadataVector.year("2014-05-01")).hasValue(2014);
    assertThat(MetadataVector.year("(2009)")).hasValue(2009);
    assertThat(MetadataVector.year("12345")).isEmpty();
    assertThat(MetadataVector.year("unknown")).isEmpty();
    assertThat(MetadataVector.year(null)).isEmpty();
  }

  @Test
  void runtimesInMinutesHoursOrIso() {
    assertThat(MetadataVector.runtimeMinutes("94")).hasValue(94.0);
    assertThat(MetadataVector.runtimeMinutes("94 min")).hasValue(94.0);
    assertThat(MetadataVector.runtimeMinutes("1h 34m")).hasValue(94.0);
    assertThat(MetadataVector.runtimeMinutes("2 hours")).hasValue(120.0);
    assertThat(MetadataVector.runtimeMinutes("PT1H34M")).hasValue(94.0);
    assertThat(MetadataVector.runtimeMinutes("0")).isEmpty();
    assertThat(MetadataVector.runtimeMinutes("long")).isEmpty();
    assertThat(MetadataVector.runtimeMinutes("PT")).isEmpty();
  }

  @Test
  void missingFieldsAreZeroWithTheirFlagZero() {
    float[] title = new float[384];
    Arrays.fill(title, 0.5f);
    float[] v = MetadataVector.of(OptionalInt.of(2014), OptionalDouble.empty(), title, null);

    assertThat(v).hasSize(MetadataVector.DIMENSION).hasSize(774);
    assertThat(v[0]).isCloseTo(1.4f, within(1e-6f));
    assertThat(v[1]).isEqualTo(1f);
    assertThat(v[2]).isZero();
    assertThat(v[3]).as("has runtime").isZero();
    assertThat(v[4]).as("has title").isEqualTo(1f);
    assertThat(v[5]).as("has plot").isZero();
    assertThat(Arrays.copyOfRange(v, 6, 390)).containsOnly(0.5f);
    assertThat(Arrays.copyOfRange(v, 390, 774)).containsOnly(0f);
    assertThat(MetadataVector.of(OptionalInt.empty(), OptionalDouble.of(120), null, null)[2]).isEqualTo(1f);
  }
}
