package dev.mmstream.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.schema.v1.Thumbnail;
import dev.mmstream.streams.topology.AlignerMetrics;

/** The dashboard's JSON: one object per prediction and per thumbnail, and a metrics snapshot. */
final class PredictionJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PredictionJson() {}

  static String prediction(Prediction p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "prediction");
    o.put("stream", LiveTable.sourceOf(p.getStreamId()));
    o.put("streamId", p.getStreamId());
    o.put("task", p.getTask().name().toLowerCase(java.util.Locale.ROOT));
    o.put("start", p.getWindowStartMs());
    o.put("end", p.getWindowEndMs());
    var labels = o.putArray("labels");
    p.getLabels().forEach(l -> labels.addObject().put("label", l.getLabel()).put("score", l.getScore())
        .put("threshold", l.getThreshold()).put("decision", l.getDecision()));
    var modalities = o.putArray("modalities");
    p.getModalitiesPresent().forEach(m -> modalities.add(m.name().toLowerCase(java.util.Locale.ROOT)));
    var gates = o.putObject("gates");
    p.getGates().forEach(gates::put);
    o.put("model", p.getModelName() + " v" + p.getModelVersion());
    o.put("latencyMs", Math.max(0, p.getPredictedAtMs() - p.getWindowClosedAtMs()));
    return o.toString();
  }

  /** A thumbnail's description; the page fetches its JPEG from {@code /thumbnail?stream=} (no. {@code seq}). */
  static String thumbnail(Thumbnail t, long eventTimeMs, long seq) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "thumbnail");
    o.put("stream", LiveTable.sourceOf(t.getStreamId()));
    o.put("streamId", t.getStreamId());
    o.put("at", eventTimeMs);
    o.put("width", t.getWidth());
    o.put("height", t.getHeight());
    o.put("seq", seq);
    if (t.getFace() == null) {
      o.putNull("face");
    } else {
      var face = o.putObject("face");
      face.put("score", t.getFace().getScore());
      var box = face.putArray("box");
      t.getFace().getBox().forEach(box::add);
    }
    return o.toString();
  }

  static String metrics(AlignerMetrics m, double windowsPerSecond, long p50, long p99) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "metrics");
    o.put("windows", m.windows());
    o.put("windowsPerSecond", windowsPerSecond);
    o.put("latencyP50Ms", p50);
    o.put("latencyP99Ms", p99);
    o.put("lateRecords", m.lateRecords());
    long dead = 0;
    for (var reason : dev.mmstream.schema.v1.DeadLetterReason.values()) {
      dead += m.deadLetters(reason);
    }
    o.put("deadLetters", dead);
    return o.toString();
  }
}
