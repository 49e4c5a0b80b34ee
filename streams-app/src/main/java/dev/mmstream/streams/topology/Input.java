package dev.mmstream.streams.topology;

import dev.mmstream.schema.v1.StreamEvent;
import org.apache.avro.specific.SpecificRecord;

/** A decoded input record on its way to the aligner, with where it came from. */
sealed interface Input {
  Provenance provenance();

  /** A feature record: its modality, media time span and spec id, and the original bytes kept for the buffer. */
  record Feature(byte modality, SpecificRecord value, long startMs, long endMs, String specId, Provenance provenance)
      implements Input {}

  /** START, END or ERROR of a stream. */
  record Event(StreamEvent event, Provenance provenance) implements Input {}

  /** Source topic, partition and offset, and the original key and value bytes. */
  record Provenance(String topic, int partition, long offset, byte[] key, byte[] value) {}
}
