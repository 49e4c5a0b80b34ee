package dev.mmstream.streams.topology;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.schema.v1.LabelScore;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.streams.inference.ScoreOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** A scored window → the Prediction record consumers read. */
final class PredictionFactory {
  private PredictionFactory() {}

  static Prediction of(AssembledWindow window, long originMs, ScoreOutcome.Scored scored, long closedAtMs, long predictedAtMs) {
    var model = scored.model();
    List<Modality> present = present(window);
    List<Float> thresholds = model.thresholdsFor(present.stream().map(m -> m.name().toLowerCase(Locale.ROOT)).toList());
    present.addAll(cataloguePresent(window, model.catalogueInputs()));
    var labels = new ArrayList<LabelScore>(model.labels().size());
    for (int i = 0; i < model.labels().size(); i++) {
      float score = scored.probs()[i];
      float threshold = thresholds.get(i);
      labels.add(new LabelScore(model.labels().get(i), score, threshold, score >= threshold));
    }
    var gates = new TreeMap<String, Float>();
    for (int i = 0; i < model.gateNames().size() && i < scored.gates().length; i++) {
      gates.put(model.gateNames().get(i), scored.gates()[i]);
    }
    return Prediction.newBuilder()
        .setStreamId(window.streamId())
        .setTask(window.task())
        .setWindowStartMs(originMs + window.bounds().startMs())
        .setWindowEndMs(originMs + window.bounds().endMs())
        .setLabels(labels)
        .setModalitiesPresent(present)
        .setGates(gates)
        .setModelName(model.name())
        .setModelVersion(model.version())
        .setWindowClosedAtMs(closedAtMs)
        .setPredictedAtMs(predictedAtMs)
        .build();
  }

  /** The catalogue inputs the model took that the trailer had: what drove it besides its streams. */
  static List<Modality> cataloguePresent(AssembledWindow window, List<String> taken) {
    var present = new ArrayList<Modality>(2);
    if (taken.contains("poster") && window.catalogue().poster() != null) {
      present.add(Modality.POSTER);
    }
    if (taken.contains("metadata") && window.catalogue().metadata() != null) {
      present.add(Modality.METADATA);
    }
    return present;
  }

  /** The streams (text, audio, video) with at least one step in the window. */
  static List<Modality> present(AssembledWindow window) {
    var present = new ArrayList<Modality>(3);
    if (window.text().rows() > 0) {
      present.add(Modality.TEXT);
    }
    if (window.audio().rows() > 0) {
      present.add(Modality.AUDIO);
    }
    if (window.video().rows() > 0) {
      present.add(Modality.VIDEO);
    }
    return present;
  }
}
