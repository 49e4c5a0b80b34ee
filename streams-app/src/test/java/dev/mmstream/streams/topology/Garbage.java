package dev.mmstream.streams.topology;

import static dev.mmstream.streams.topology.TopologyHarness.encode;

import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.TokenFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Random;

/** Seeded garbage for the input topics, the same for the test driver's fuzz test and the real broker's. */
final class Garbage {
  private Garbage() {}

  /** What the garbage does, per input topic. */
  enum Kind { RANDOM_BYTES, TRUNCATED, UNKNOWN_FINGERPRINT, NON_FINITE, WRONG_SHAPE, ABSURD_TIME, ODD_KEY, NO_START, DUPLICATE_EVENTS }

  record Junk(String key, byte[] value, long timeMs, boolean undecodable) {}

  /** One garbage record of a kind for a topic; junk streams never share a key with the good ones. */
  static Junk junk(Kind kind, String topic, Random r, SampleRecords samples, int i) {
    String stream = "junk-" + r.nextInt(40);
    long t = r.nextInt(12_000);
    return switch (kind) {
      case RANDOM_BYTES -> new Junk(stream, bytes(r, r.nextInt(300)), t, true);
      case TRUNCATED -> {
        byte[] whole = valid(topic, samples, stream, i);
        yield new Junk(stream, Arrays.copyOf(whole, 10 + r.nextInt(whole.length - 11)), t, true);
      }
      case UNKNOWN_FINGERPRINT -> {
        byte[] bytes = valid(topic, samples, stream, i);
        bytes[2 + r.nextInt(8)] ^= (byte) (1 + r.nextInt(255));
        yield new Junk(stream, bytes, t, true);
      }
      case NON_FINITE -> new Junk(stream, nonFinite(topic, samples, stream, i, r), t, false);
      case WRONG_SHAPE -> new Junk(stream, wrongShape(topic, samples, stream, i, r), t, false);
      case ABSURD_TIME -> new Junk(stream, absurdTime(topic, samples, stream, i, r), r.nextBoolean() ? -t : Long.MAX_VALUE / 2, false);
      case ODD_KEY -> new Junk(switch (r.nextInt(3)) {
        case 0 -> null;
        case 1 -> "";
        default -> "k".repeat(10_000);
      }, valid(topic, samples, stream, i), t, false);
      // features of streams that never START (on the events topic: an END without a START)
      case NO_START -> new Junk("nostart-" + r.nextInt(40), valid(topic, samples, "nostart", topic.equals("events") ? 1 : i), t,
          false);
      // on a feature topic, an event is a record of the wrong type: its schema is no version of the topic's
      case DUPLICATE_EVENTS -> new Junk(stream, encode(StreamEvent.newBuilder().setStreamId(stream)
          .setType(r.nextBoolean() ? StreamEventType.START : StreamEventType.END).setTask(Task.EMOTION).setOriginMs(TopologyHarness.ORIGIN)
          .setMediaEndMs(r.nextBoolean() ? null : (long) r.nextInt(20_000)).setMetadata(Map.of()).build()), t,
          !topic.equals("events"));
    };
  }

  private static byte[] valid(String topic, SampleRecords s, String stream, int i) {
    return switch (topic) {
      case "events" -> encode(s.streamEvent(stream, i % 2));
      case "frames" -> encode(s.frame(stream, i % 60));
      case "audio" -> encode(s.audio(stream, i % 12));
      default -> encode(s.tokens(stream, i % 6));
    };
  }

  private static byte[] nonFinite(String topic, SampleRecords s, String stream, int i, Random r) {
    float bad = r.nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY;
    return switch (topic) {
      case "frames" -> {
        FrameFeatures f = s.frame(stream, i % 60);
        f.getFace().getEmbedding().set(r.nextInt(256), bad);
        yield encode(f);
      }
      case "audio" -> {
        AudioFeatures a = s.audio(stream, i % 12);
        a.getLogmel().getValues().set(r.nextInt(6400), bad);
        yield encode(a);
      }
      case "tokens" -> {
        TokenFeatures k = s.tokens(stream, i % 6);
        k.getEmbeddings().getValues().set(r.nextInt(5 * 384), bad);
        yield encode(k);
      }
      default -> encode(StreamEvent.newBuilder().setStreamId(stream).setType(StreamEventType.START).setTask(Task.EMOTION)
          .setOriginMs(Long.MIN_VALUE).setMetadata(Map.of()).build());
    };
  }

  private static byte[] wrongShape(String topic, SampleRecords s, String stream, int i, Random r) {
    return switch (topic) {
      case "frames" -> {
        FrameFeatures f = s.frame(stream, i % 60);
        f.getFace().setEmbedding(new ArrayList<>(Collections.nCopies(1 + r.nextInt(300), 0.5f)));
        yield encode(f);
      }
      case "audio" -> {
        AudioFeatures a = s.audio(stream, i % 12);
        a.setLogmel(new Matrix(100, 64, new ArrayList<>(Collections.nCopies(r.nextInt(6400), 0.1f))));
        yield encode(a);
      }
      case "tokens" -> {
        TokenFeatures k = s.tokens(stream, i % 6);
        k.setEmbeddings(new Matrix(5, 1 + r.nextInt(500), new ArrayList<>(Collections.nCopies(5, 0.1f))));
        yield encode(k);
      }
      default -> encode(StreamEvent.newBuilder().setStreamId(stream).setType(StreamEventType.END).setTask(Task.GENRE)
          .setOriginMs(TopologyHarness.ORIGIN).setMediaEndMs(-1L).setMetadata(Map.of()).build());
    };
  }

  private static byte[] absurdTime(String topic, SampleRecords s, String stream, int i, Random r) {
    long t = r.nextBoolean() ? -1_000_000L : Long.MAX_VALUE / 4;
    return switch (topic) {
      case "frames" -> {
        FrameFeatures f = s.frame(stream, i % 60);
        f.setPtsMs(t);
        yield encode(f);
      }
      case "audio" -> {
        AudioFeatures a = s.audio(stream, i % 12);
        a.setStartMs(t);
        yield encode(a);
      }
      case "tokens" -> {
        TokenFeatures k = s.tokens(stream, i % 6);
        k.setCueStartMs(t);
        yield encode(k);
      }
      default -> encode(StreamEvent.newBuilder().setStreamId(stream).setType(StreamEventType.END).setTask(Task.EMOTION)
          .setOriginMs(TopologyHarness.ORIGIN).setMediaEndMs(t).setMetadata(Map.of()).build());
    };
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
