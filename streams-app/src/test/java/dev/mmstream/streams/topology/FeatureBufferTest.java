package dev.mmstream.streams.topology;

import static dev.mmstream.streams.topology.TopologyHarness.encode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.align.FeatureRows;
import dev.mmstream.schema.SampleRecords;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The buffer's rows: kept as records arrive, rebuilt from the store after a restart, pruned with it. */
class FeatureBufferTest {
  private final SampleRecords samples = new SampleRecords(2);
  private KeyValueStore<Bytes, byte[]> store;

  @BeforeEach
  void openStore() {
    store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("buffer"), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    var context = new MockProcessorContext<Object, Object>();
    store.init(context.getStateStoreContext(), store);
  }

  @Test
  void aRestartedBufferReadsTheSameRowsFromTheStore() {
    var buffer = new FeatureBuffer(store);
    for (int i = 0; i < 10; i++) { // frames every 200 ms, 1 s audio chunks
      var frame = samples.frame("s", i);
      buffer.put("s", BufferKey.VIDEO, frame.getPtsMs(), i, encode(frame), FeatureRows.Frame.of(frame));
    }
    var chunk = samples.audio("s", 0);
    buffer.put("s", BufferKey.AUDIO, chunk.getStartMs(), 20, encode(chunk), FeatureRows.Audio.of(chunk));
    var cue = samples.tokens("s", 0);
    buffer.put("s", BufferKey.TEXT, cue.getCueStartMs(), 30, encode(cue), FeatureRows.Tokens.of(cue));

    var live = buffer.read("s", 400, 1400);
    var restarted = new FeatureBuffer(store).read("s", 400, 1400);

    assertThat(live.frames()).extracting(FeatureRows.Frame::ptsMs).containsExactly(400L, 600L, 800L, 1000L, 1200L);
    assertThat(restarted.frames()).usingRecursiveFieldByFieldElementComparator().isEqualTo(live.frames());
    assertThat(restarted.audio()).usingRecursiveFieldByFieldElementComparator().isEqualTo(live.audio()).hasSize(1);
    assertThat(restarted.tokens()).usingRecursiveFieldByFieldElementComparator().isEqualTo(live.tokens()).hasSize(1);
  }

  @Test
  void pruningDropsRowsAndStoredBytesTogether() {
    var buffer = new FeatureBuffer(store);
    for (int i = 0; i < 10; i++) {
      var frame = samples.frame("s", i);
      buffer.put("s", BufferKey.VIDEO, frame.getPtsMs(), i, encode(frame), FeatureRows.Frame.of(frame));
    }

    buffer.pruneBefore("s", 1000);

    assertThat(buffer.read("s", 0, 2000).frames()).extracting(FeatureRows.Frame::ptsMs).containsExactly(1000L, 1200L, 1400L, 1600L, 1800L);
    assertThat(new FeatureBuffer(store).read("s", 0, 2000).frames()).hasSize(5);
    buffer.deleteAll("s");
    assertThat(buffer.read("s", 0, 2000).frames()).isEmpty();
    try (var all = store.all()) {
      assertThat(all.hasNext()).isFalse();
    }
  }
}
