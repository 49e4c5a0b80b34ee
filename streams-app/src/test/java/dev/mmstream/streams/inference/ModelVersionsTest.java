package dev.mmstream.streams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelVersionsTest {
  @Test
  void digitRunsCompareAsNumbersAndTheRestAsText() {
    List<String> versions = new ArrayList<>(List.of("v10", "20260102000000-aaaa", "v9", "v9b", "20260101235959-ffff",
        "20260102000000-aaab"));
    versions.sort(ModelVersions.ORDER);
    assertThat(versions).containsExactly("20260101235959-ffff", "20260102000000-aaaa", "20260102000000-aaab",
        "v9", "v9b", "v10");
    assertThat(ModelVersions.compare("1.2", "1.2")).isZero();
  }
}
