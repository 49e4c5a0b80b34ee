package dev.mmstream.streams.topology;

import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.align.FeatureRows;

/** A decoded input record on its way to the aligner, with where it came from. */
sealed interface Input extends Flow {
  Provenance provenance();

  /**
   * A feature record: its modality, media time span and spec id, the rows windows read of it (reduced once,
   * here), and the original bytes kept for the buffer and for dead letters.
   */
  record Feature(byte modality, FeatureRows rows, long startMs, long endMs, String specId, Provenance provenance)
      implements Input {}

  /** START, END or ERROR of a stream. */
  record Event(StreamEvent event, Provenance provenance) implements Input {}

  /** Source topic, partition and offset, and the original key and value bytes. */
  record Provenance(String topic, int partition, long offset, byte[] key, byte[] value) {}
}
