package dev.mmstream.streams.inference;

import static dev.mmstream.streams.inference.Fixtures.CPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.CatalogueInputs;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.streams.inference.ScoreOutcome.Rejected;
import dev.mmstream.streams.inference.ScoreOutcome.Scored;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A genre model that takes a trailer's poster and metadata (the live-catalogue fixture, over the live featurizers'
 * spec ids) next to one that does not (genre-live): each input is used when present, masked when absent, refused
 * when it comes from another featurizer, and ignored by the model that does not take it.
 */
class CatalogueModelTest {
  private static OnnxFusionModel catalogueModel;
  private static OnnxFusionModel plainModel;
  private static AssembledWindow trailer;
  private static CatalogueInputs catalogue;

  @BeforeAll
  static void load() {
    catalogueModel = OnnxFusionModel.load(Fixtures.model("live-catalogue/genre-catalogue.onnx"), CPU);
    plainModel = OnnxFusionModel.load(Fixtures.model("live/genre-live.onnx"), CPU);
    var c = catalogueModel.contract();
    var rnd = new Random(7);
    trailer = AssembledWindow.of(Fixtures.randomWindow(c, rnd, 40, 60, 30));
    catalogue = new CatalogueInputs(gaussian(rnd, c.catalogueDims().get("poster")), gaussian(rnd, c.catalogueDims().get("metadata")),
        Map.of("poster", c.specFor("poster"), "metadata", c.specFor("metadata")));
  }

  @AfterAll
  static void close() {
    catalogueModel.close();
    plainModel.close();
  }

  @Test
  void theContractNamesTheCatalogueInputsAndTheirGates() {
    var c = catalogueModel.contract();
    assertThat(c.catalogueInputs()).containsExactly("poster", "metadata");
    assertThat(c.catalogueDims()).containsEntry("poster", 295).containsEntry("metadata", 774);
    assertThat(c.gateNames()).containsExactly("text", "audio", "video", "poster", "metadata", "early");
    assertThat(plainModel.contract().catalogueInputs()).isEmpty();
  }

  @Test
  void eachInputCountsWhenPresentAndAbsentOnesAreMaskedInOneBatch() {
    var both = trailer.withCatalogue(catalogue);
    var posterOnly = trailer.withCatalogue(new CatalogueInputs(catalogue.poster(), null, Map.of("poster", catalogue.specIds().get("poster"))));
    List<ScoreOutcome> outcomes = catalogueModel.score(List.of(trailer, both, posterOnly));

    Scored none = (Scored) outcomes.get(0);
    Scored all = (Scored) outcomes.get(1);
    Scored poster = (Scored) outcomes.get(2);
    assertThat(all.probs()).isNotEqualTo(none.probs());
    assertThat(poster.probs()).isNotEqualTo(none.probs()).isNotEqualTo(all.probs());
    assertThat(none.gates()[3]).as("poster gate of a trailer without one").isZero();
    assertThat(none.gates()[4]).as("metadata gate").isZero();
    assertThat(all.gates()[3]).isPositive();
    assertThat(poster.gates()[4]).isZero();
    // one at a time gives what the mixed batch gave: the masks, not the neighbours, decide
    assertThat(((Scored) catalogueModel.score(List.of(posterOnly)).get(0)).probs()).containsExactly(poster.probs(),
        within(1e-5f));
  }

  @Test
  void aPosterFromAnotherFeaturizerOrOfAnotherWidthIsRefused() {
    var c = catalogueModel.contract();
    var otherSpec = trailer.withCatalogue(new CatalogueInputs(catalogue.poster(), null, Map.of("poster", "poster@v1(video.other@v9)")));
    var otherWidth = trailer.withCatalogue(new CatalogueInputs(new float[10], null, Map.of("poster", c.specFor("poster"))));

    List<ScoreOutcome> outcomes = catalogueModel.score(List.of(otherSpec, otherWidth));

    assertThat(outcomes.get(0)).isInstanceOfSatisfying(Rejected.class, r -> {
      assertThat(r.reason()).isEqualTo(DeadLetterReason.SPEC_MISMATCH);
      assertThat(r.detail()).contains("poster").contains("video.other@v9").contains(c.specFor("poster"));
    });
    assertThat(outcomes.get(1)).isInstanceOfSatisfying(Rejected.class, r -> {
      assertThat(r.reason()).isEqualTo(DeadLetterReason.BAD_SHAPE);
      assertThat(r.detail()).contains("poster vector has 10 values").contains("295");
    });
  }

  @Test
  void aModelWithoutCatalogueInputsScoresTrailersWithPostersAsWithout() {
    var plainTrailer = AssembledWindow.of(Fixtures.randomWindow(plainModel.contract(), new Random(7), 40, 60, 30));
    List<ScoreOutcome> outcomes = plainModel.score(List.of(plainTrailer, plainTrailer.withCatalogue(catalogue)));

    assertThat(((Scored) outcomes.get(1)).probs()).containsExactly(((Scored) outcomes.get(0)).probs());
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }
}
