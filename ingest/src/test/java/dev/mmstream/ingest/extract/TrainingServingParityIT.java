package dev.mmstream.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.align.StreamFeatures;
import dev.mmstream.align.WindowAssembler;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.broker.BrokerConfig;
import dev.mmstream.broker.KraftBroker;
import dev.mmstream.broker.TopicProvisioner;
import dev.mmstream.ingest.cli.IngestMain;
import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.TokenFeatures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Training/serving parity: the features extract writes for a clip are, record for record, the
 * features {@code ./mmstream ingest} publishes to a real Kafka broker for the same clip, and the
 * windows extract trains on are the windows the assembler builds from what the broker delivered.
 */
class TrainingServingParityIT {
  @TempDir Path work;

  @Test
  void extractWritesExactlyTheFeaturesLiveIngestPublishes() throws Exception {
    Path manifestFile = Repo.synth("emotion", 1, 1, work.resolve("corpus"));
    Manifest manifest = Manifest.read(manifestFile, Optional.empty());
    Clip clip = manifest.clips().get(0);
    Path dataset = work.resolve("dataset");
    var settings = ExtractSettings.defaults(Task.EMOTION, Repo.models());
    assertThat(new DatasetExtractor(settings, new DatasetLayout(dataset), 1, false, System.err).run(manifest).errors()).isEmpty();
    Path features = dataset.resolve("features").resolve(clip.id());

    var topics = Topics.defaults();
    try (var broker = KraftBroker.start(BrokerConfig.ephemeral(work.resolve("broker"), 1))) {
      TopicProvisioner.ensureTopics(broker.bootstrapServers(), topics, 1);
      var args = new ArrayList<>(List.of("--source", clip.media().orElseThrow().toString(), "--stream-id", clip.id(), "--task", "emotion",
          "--bootstrap", broker.bootstrapServers(), "--models-dir", Repo.models().toString()));
      clip.captions().ifPresent(c -> args.addAll(List.of("--captions", c.toString())));
      args.addAll(List.of("--meta", manifestFile.resolveSibling(clip.row().get(3)).toString()));
      assertThat(new CommandLine(new IngestMain()).execute(args.toArray(String[]::new))).as("ingest exit status").isZero();

      Map<String, List<ConsumerRecord<String, byte[]>>> published = consumeAll(broker.bootstrapServers(), topics);
      List<StreamEvent> events = decode(published, topics.streamEvents());
      long origin = events.get(0).getOriginMs();
      assertThat(origin).as("live streams start at wall-clock time").isPositive();

      List<FrameFeatures> frames = decode(published, topics.videoFrames());
      List<AudioFeatures> audio = decode(published, topics.audioLogMel());
      List<TokenFeatures> tokens = decode(published, topics.textTokens());
      assertThat(frames).as("some 8 s of video at 5 frames/s").hasSizeGreaterThan(30);
      assertThat(audio).as("one record per second of audio").hasSizeGreaterThan(5);
      assertThat(tokens).as("caption cues").isNotEmpty();
      assertSameRecords("frames", frames, DatasetFiles.records(features.resolve(FeatureFiles.FRAMES), FrameFeatures.class));
      assertSameRecords("audio", audio, DatasetFiles.records(features.resolve(FeatureFiles.AUDIO), AudioFeatures.class));
      assertSameRecords("tokens", tokens, DatasetFiles.records(features.resolve(FeatureFiles.TOKENS), TokenFeatures.class));
      var frameRecords = published.get(topics.videoFrames().name());
      for (int i = 0; i < frames.size(); i++) {
        assertThat(frameRecords.get(i).timestamp()).as("event time of frame %d", i).isEqualTo(origin + frames.get(i).getPtsMs());
      }

      // START and END agree too, apart from the wall-clock origin (0 in extract: window bounds are media time)
      assertThat(events).extracting(StreamEvent::getType).containsExactly(StreamEventType.START, StreamEventType.END);
      events.forEach(e -> e.setOriginMs(ClipExtractor.ORIGIN_MS));
      assertSameRecords("stream events", events, DatasetFiles.records(features.resolve(FeatureFiles.EVENTS), StreamEvent.class));

      // the serving side's windows, assembled from what the broker delivered, are the training windows
      var assembler = new WindowAssembler(settings.windowSpec());
      var delivered = new StreamFeatures(frames, audio, tokens);
      var served = new ArrayList<ModelWindow>();
      for (WindowBounds bounds : settings.windows(events.get(1).getMediaEndMs())) {
        ModelWindow w = assembler.assemble(clip.id(), Task.EMOTION, delivered, bounds);
        w.setLabels(clip.labels());
        w.setSplit(clip.split());
        served.add(w);
      }
      assertSameRecords("windows", served, DatasetFiles.records(dataset.resolve("windows").resolve(clip.id() + ".avro"), ModelWindow.class));
    }
  }

  private static <T> void assertSameRecords(String what, List<T> live, List<T> extracted) {
    assertThat(live).as("%s: live count against extract count", what).hasSameSizeAs(extracted);
    for (int i = 0; i < live.size(); i++) {
      assertThat(live.get(i)).as("%s record %d", what, i).isEqualTo(extracted.get(i));
    }
  }

  private static <V> List<V> decode(Map<String, List<ConsumerRecord<String, byte[]>>> published, Topic<String, V> topic) {
    var deserializer = topic.valueSerde().deserializer();
    return published.getOrDefault(topic.name(), List.of()).stream()
        .map(r -> deserializer.deserialize(topic.name(), r.value()))
        .toList();
  }

  /** Everything on the feature and event topics, up to the end offsets taken after ingest returned. */
  private static Map<String, List<ConsumerRecord<String, byte[]>>> consumeAll(String bootstrap, Topics topics) {
    var names = List.of(topics.streamEvents().name(), topics.videoFrames().name(), topics.audioLogMel().name(), topics.textTokens().name());
    var config = Map.<String, Object>of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions = names.stream().map(n -> new TopicPartition(n, 0)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      var records = new HashMap<String, List<ConsumerRecord<String, byte[]>>>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("all published records consumed within 60 s").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(500)).forEach(r -> records.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r));
      }
      return records;
    }
  }
}
