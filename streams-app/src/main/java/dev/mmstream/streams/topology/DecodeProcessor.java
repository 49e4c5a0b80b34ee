package dev.mmstream.streams.topology;

import dev.mmstream.align.MalformedFeaturesException;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.RecordDecodingException;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.streams.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes one input topic's bytes, once: a feature record is reduced here to the rows windows read.
 * Records that cannot be decoded, have inconsistent shapes, or have no usable key go to the dead letters
 * with the original bytes and source offset (through the router); the rest go on to the aligner.
 */
final class DecodeProcessor<V extends SpecificRecord> implements Processor<String, byte[], String, Flow> {
  private final AvroSerde<V> serde;
  private final BiFunction<V, Input.Provenance, Input> toInput;
  private final DeadLetters deadLetters;
  private ProcessorContext<String, Flow> context;

  DecodeProcessor(AvroSerde<V> serde, BiFunction<V, Input.Provenance, Input> toInput, DeadLetters deadLetters) {
    this.serde = serde;
    this.toInput = toInput;
    this.deadLetters = deadLetters;
  }

  @Override
  public void init(ProcessorContext<String, Flow> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    var meta = context.recordMetadata().orElseThrow();
    byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    var provenance = new Input.Provenance(meta.topic(), meta.partition(), meta.offset(), key, record.value());
    if (!BufferKey.isValidStreamId(record.key())) {
      reject(record, provenance, DeadLetterReason.MISSING_KEY, "record has no stream id key (or one with a NUL character)");
      return;
    }
    V value;
    try {
      value = serde.decode(meta.topic(), record.value());
    } catch (RecordDecodingException e) {
      reject(record, provenance, e.problem() == RecordDecodingException.Problem.UNKNOWN_SCHEMA
          ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.UNDECODABLE, e.getMessage());
      return;
    }
    Input input;
    try {
      input = toInput.apply(value, provenance);
    } catch (MalformedFeaturesException e) {
      reject(record, provenance, DeadLetterReason.BAD_SHAPE, e.getMessage());
      return;
    }
    context.forward(record.<Flow>withValue(input), Names.ALIGN);
  }

  private void reject(Record<String, byte[]> record, Input.Provenance p, DeadLetterReason reason, String detail) {
    var letter = deadLetters.forRecord(reason, detail, p.topic(), p.partition(), p.offset(), p.key(), p.value());
    context.forward(record.<Flow>withValue(new Outcome.DeadLettered(reason, letter)), Names.ROUTE);
  }
}
