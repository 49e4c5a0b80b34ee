package dev.mmstream.ingest.pipeline;

import dev.mmstream.schema.v1.CatalogueFeatures;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import java.util.List;

/** START and END of a stream, as every ingest path publishes them. */
final class StreamEvents {
  private StreamEvents() {}

  /**
   * START declares a transcript-only stream's one modality, so the streams app closes its windows on the cues'
   * progress; a media stream's modalities are what its decoder finds, and are left undeclared.
   */
  static StreamEvent start(StreamRequest request, CatalogueFeatures catalogue) {
    return StreamEvent.newBuilder()
        .setStreamId(request.streamId())
        .setType(StreamEventType.START)
        .setTask(request.task())
        .setSource(request.sourceName())
        .setOriginMs(request.originMs())
        .setMetadata(request.metadata())
        .setModalities(request.media().isEmpty() ? List.of(Modality.TEXT) : List.of())
        .setCatalogue(catalogue)
        .build();
  }

  static StreamEvent end(StreamRequest request, long mediaMs, String failure) {
    return StreamEvent.newBuilder()
        .setStreamId(request.streamId())
        .setType(StreamEventType.END)
        .setTask(request.task())
        .setSource(request.sourceName())
        .setOriginMs(request.originMs())
        .setMediaEndMs(mediaMs)
        .setReason(failure)
        .setModalities(List.of()) // set, not defaulted: a default is deep-copied through a class Avro must trust first
        .build();
  }
}
