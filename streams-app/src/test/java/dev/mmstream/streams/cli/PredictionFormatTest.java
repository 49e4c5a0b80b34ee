package dev.mmstream.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.v1.Modality;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionFormatTest {
  private final dev.mmstream.schema.v1.Prediction prediction = new SampleRecords(1).prediction("cam-1", 2);

  @Test
  void showsTheTopLabelsByScoreWithTheirDecisions() {
    assertThat(PredictionFormat.topLabels(prediction, 1)).isEqualTo("happy 0.90*");
    assertThat(PredictionFormat.topLabels(prediction, 2)).isEqualTo("happy 0.90*  sad 0.10");
  }

  @Test
  void namesTheModalitiesAndTheInputThatDroveTheDecision() {
    assertThat(PredictionFormat.modalities(prediction)).isEqualTo("TA");
    assertThat(PredictionFormat.driver(prediction)).isEqualTo("text 0.60");
    assertThat(PredictionFormat.line(prediction, 2)).contains("cam-1", "happy 0.90*", "[TA   ]", "driven by text 0.60", "emotion-hybrid v1");
  }

  @Test
  void aTrailersPosterAndMetadataAreLettersToo() {
    prediction.setModalitiesPresent(List.of(Modality.TEXT, Modality.AUDIO, Modality.VIDEO, Modality.POSTER, Modality.METADATA));

    assertThat(PredictionFormat.modalities(prediction)).isEqualTo("TAVPM");
    assertThat(PredictionFormat.line(prediction, 1)).contains("[TAVPM]");
  }
}
