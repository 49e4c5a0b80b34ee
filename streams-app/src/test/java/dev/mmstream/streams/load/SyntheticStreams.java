package dev.mmstream.streams.load;

import dev.mmstream.schema.Topic;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import java.time.Duration;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * N live streams paced in real time, as N ingest processes would publish them: stream i starts
 * i/N of a second after the first (live sources do not start in step), then media time t is published
 * at wall-clock start + t: a frame every 200 ms at its pts, an audio chunk when its second is complete,
 * a cue when its speech ends. Records carry event time = origin + media time, key = stream id. Runs for
 * a fixed wall-clock duration, then stops (no END: the windows still open are not part of the measure).
 * Remembers when each frame and chunk was sent, so a window's closing time can be looked up.
 */
final class SyntheticStreams implements Runnable {
  private final String bootstrap;
  private final Topics topics;
  private final FeatureRecords records;
  private final int streams;
  private final Duration duration;
  private final long[] originMs;
  private final long[][] frameSentMs;
  private final long[][] chunkSentMs;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  SyntheticStreams(String bootstrap, Topics topics, FeatureRecords records, int streams, Duration duration, long startMs) {
    this.bootstrap = bootstrap;
    this.topics = topics;
    this.records = records;
    this.streams = streams;
    this.duration = duration;
    this.originMs = new long[streams];
    int frames = (int) (duration.toMillis() / FeatureRecords.FRAME_MS) + 2;
    int chunks = (int) (duration.toMillis() / FeatureRecords.CHUNK_MS) + 2;
    this.frameSentMs = new long[streams][frames];
    this.chunkSentMs = new long[streams][chunks];
    for (int i = 0; i < streams; i++) {
      originMs[i] = startMs + 1000L * i / streams;
    }
  }

  static String streamId(int i) {
    return String.format(java.util.Locale.ROOT, "load-%05d", i);
  }

  long originMs(int stream) {
    return originMs[stream];
  }

  /**
   * When the record that let a window ending at {@code endMs} (media time) close was sent: both audio
   * and video must have passed end + grace. -1 when that record was never sent.
   */
  /**
   * How many windows (of {@code windowMs} every {@code advanceMs}) had their closing record sent in [from, to):
   * the windows a run that holds the load must predict.
   */
  long windowsClosedBetween(long fromMs, long toMs, long windowMs, long advanceMs, long graceMs) {
    long count = 0;
    for (int s = 0; s < streams; s++) {
      for (long end = windowMs; ; end += advanceMs) {
        long sent = closingSentMs(s, end, graceMs);
        if (sent < 0 || sent >= toMs) {
          break;
        }
        if (sent >= fromMs) {
          count++;
        }
      }
    }
    return count;
  }

  long closingSentMs(int stream, long endMs, long graceMs) {
    int frame = (int) -Math.floorDiv(-(endMs + graceMs), (long) FeatureRecords.FRAME_MS);
    int chunk = (int) -Math.floorDiv(-(endMs + graceMs), (long) FeatureRecords.CHUNK_MS) - 1;
    if (frame >= frameSentMs[stream].length || chunk >= chunkSentMs[stream].length) {
      return -1;
    }
    long f = frameSentMs[stream][frame];
    long c = chunkSentMs[stream][chunk];
    return f == 0 || c == 0 ? -1 : Math.max(f, c);
  }

  Exception failure() {
    return failure.get();
  }

  @Override
  public void run() {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
        ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
      publish(producer);
    } catch (RuntimeException e) {
      failure.set(e);
    }
  }

  private record Due(long atMs, int stream, char kind, int index) {}

  private void publish(KafkaProducer<String, byte[]> producer) {
    var queue = new PriorityQueue<Due>((a, b) -> Long.compare(a.atMs(), b.atMs()));
    for (int i = 0; i < streams; i++) {
      queue.add(new Due(originMs[i], i, 'S', 0));
    }
    long stopAt = originMs[0] + duration.toMillis();
    while (!queue.isEmpty() && !Thread.currentThread().isInterrupted()) {
      Due due = queue.poll();
      if (due.atMs() >= stopAt) {
        break;
      }
      long wait = due.atMs() - System.currentTimeMillis();
      if (wait > 0) {
        LockSupport.parkNanos(wait * 1_000_000L);
      }
      int s = due.stream();
      String id = streamId(s);
      long now = System.currentTimeMillis();
      switch (due.kind()) {
        case 'S' -> {
          send(producer, topics.streamEvents(), id, 0, s, StreamEvent.newBuilder().setStreamId(id)
              .setType(StreamEventType.START).setTask(Task.EMOTION).setSource("synthetic:" + id)
              .setOriginMs(originMs[s]).build());
          queue.add(new Due(originMs[s], s, 'F', 0));
          queue.add(new Due(originMs[s] + FeatureRecords.CHUNK_MS, s, 'A', 0));
          queue.add(new Due(originMs[s] + FeatureRecords.cueEndMs(0), s, 'T', 0));
        }
        case 'F' -> {
          send(producer, topics.videoFrames(), id, (long) due.index() * FeatureRecords.FRAME_MS, s, records.frame(id, due.index()));
          frameSentMs[s][due.index()] = now;
          queue.add(new Due(originMs[s] + (long) (due.index() + 1) * FeatureRecords.FRAME_MS, s, 'F', due.index() + 1));
        }
        case 'A' -> {
          send(producer, topics.audioLogMel(), id, (long) due.index() * FeatureRecords.CHUNK_MS, s, records.chunk(id, due.index()));
          chunkSentMs[s][due.index()] = now;
          queue.add(new Due(originMs[s] + (long) (due.index() + 2) * FeatureRecords.CHUNK_MS, s, 'A', due.index() + 1));
        }
        default -> {
          var cue = records.cue(id, due.index());
          send(producer, topics.textTokens(), id, cue.getCueStartMs(), s, cue);
          queue.add(new Due(originMs[s] + FeatureRecords.cueEndMs(due.index() + 1), s, 'T', due.index() + 1));
        }
      }
    }
  }

  private <V> void send(KafkaProducer<String, byte[]> producer, Topic<String, V> topic, String key, long mediaMs, int stream, V value) {
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    producer.send(new ProducerRecord<>(topic.name(), null, originMs[stream] + mediaMs, key, bytes), (m, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
    });
  }
}
