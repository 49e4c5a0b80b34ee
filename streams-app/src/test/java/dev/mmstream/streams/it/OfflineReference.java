package dev.mmstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.StreamFeatures;
import dev.mmstream.align.WindowAssembler;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.ingest.extract.ExtractSettings;
import dev.mmstream.ingest.pipeline.IngestOutcome;
import dev.mmstream.ingest.pipeline.IngestPipeline;
import dev.mmstream.ingest.pipeline.Pacer;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.ingest.publish.CollectingSink;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.inference.Device;
import dev.mmstream.streams.inference.InferenceSettings;
import dev.mmstream.streams.inference.OnnxFusionModel;
import dev.mmstream.streams.inference.ScoreOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the offline path computes for a clip: extract's features (the ingest pipeline into memory, no
 * Kafka) cut into extract's windows by the shared window assembler, each scored alone (batch 1) by ONNX
 * Runtime with the same model file the app serves.
 *
 * @param mediaEndMs end of the decoded media
 * @param windows window start (media ms) to the assembled window
 * @param scores window start (media ms) to its probabilities and gates
 */
record OfflineReference(long mediaEndMs, Map<Long, ModelWindow> windows, Map<Long, ScoreOutcome.Scored> scores) {

  static OfflineReference of(SpeechClip clip, Path modelFile) throws Exception {
    var settings = ExtractSettings.defaults(Task.EMOTION, SpeechClip.modelsDir());
    var sink = new CollectingSink();
    IngestOutcome outcome;
    try (var featurizers = settings.featurizers()) {
      var request = new StreamRequest("offline", SourceUri.parse(clip.media().toString()), Optional.of(clip.captions()),
          Task.EMOTION, Map.of(), 0);
      outcome = new IngestPipeline(featurizers, settings.decoder(), Pacer.AS_FAST_AS_POSSIBLE, ms -> { }).run(request, sink);
    }
    assertThat(outcome).as("offline ingest of %s", clip.media()).isInstanceOf(IngestOutcome.Completed.class);
    var features = new StreamFeatures(sink.frames(), sink.audio(), sink.tokens());
    var assembler = new WindowAssembler(settings.windowSpec());
    var windows = new TreeMap<Long, ModelWindow>();
    for (WindowBounds bounds : settings.windows(outcome.mediaMs())) {
      windows.put(bounds.startMs(), assembler.assemble("offline", Task.EMOTION, features, bounds));
    }
    var scores = new TreeMap<Long, ScoreOutcome.Scored>();
    try (var model = OnnxFusionModel.load(modelFile, new InferenceSettings(Device.CPU, 1, 1))) {
      List<ModelWindow> ordered = new ArrayList<>(windows.values());
      List<ScoreOutcome> outcomes = model.score(ordered.stream().map(AssembledWindow::of).toList());
      for (int i = 0; i < ordered.size(); i++) {
        assertThat(outcomes.get(i)).as("offline outcome of window %d ms", ordered.get(i).getWindowStartMs())
            .isInstanceOf(ScoreOutcome.Scored.class);
        scores.put(ordered.get(i).getWindowStartMs(), (ScoreOutcome.Scored) outcomes.get(i));
      }
    }
    return new OfflineReference(outcome.mediaMs(), windows, scores);
  }
}
