package dev.mmstream.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmstream.schema.v1.Prediction;
import dev.mmstream.streams.topology.AlignerMetrics;

/** The dashboard's JSON: one object per prediction, and a metrics snapshot. */
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
    p.getLabels().forEach(l -> labels.addObject().put("label", l.getLabel()).put("score", l.getScore()).put("decision", l.getDecision()));
    var modalities = o.putArray("modalities");
    p.getModalitiesPresent().forEach(m -> modalities.add(m.name().toLowerCase(java.util.Locale.ROOT)));
    var gates = o.putObject("gates");
    p.getGates().forEach(gates::put);
    o.put("model", p.getModelName() + " v" + p.getModelVersion());
    o.put("latencyMs", Math.max(0, p.getPredictedAtMs() - p.getWindowClosedAtMs()));
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
