package dev.mmstream.streams.cli;

import dev.mmstream.cli.Cli;
import dev.mmstream.cli.KafkaClientCommand;
import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.KafkaReachability;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.streams.deadletter.DeadLetterLog;
import dev.mmstream.streams.deadletter.DeadLetterLog.Entry;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./mmstream deadletters summary|show|replay}: what was dead-lettered, why, and sending it back after a fix. */
@Command(name = "deadletters", mixinStandardHelpOptions = true,
    description = {"summary: counts by reason, source topic and stream, with the time range and an example per reason.",
        "show: the selected dead letters one by one, with where they came from and why.",
        "replay: sends the selected records' original bytes back to their source topics (after a fix)."})
public final class DeadLettersMain implements Callable<Integer>, KafkaClientCommand {
  enum Action { summary, show, replay }

  @Parameters(index = "0", description = "summary, show or replay.")
  Action action;

  @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--reason", split = ",", description = "Only these reasons, e.g. UNKNOWN_SCHEMA,MISSING_START.")
  Set<DeadLetterReason> reasons = EnumSet.noneOf(DeadLetterReason.class);

  @Option(names = "--stream", description = "Only this stream id.")
  String stream;

  @Option(names = "--source-topic", description = "Only records rejected from this topic.")
  String sourceTopic;

  @Option(names = "--at", description = "Only the dead letter at PARTITION:OFFSET of the dead-letter topic (as show prints it).")
  String at;

  @Option(names = "--limit", defaultValue = "20", description = "show: at most this many, newest last (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--all", description = "replay: allow replaying every dead letter when no filter is given.")
  boolean all;

  @Option(names = "--dry-run", description = "replay: say what would be sent, send nothing.")
  boolean dryRun;

  @Option(names = "--timeout-s", defaultValue = "60", description = "Longest wait for reading or sending (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(Cli.execute(new DeadLettersMain(), args));
  }

  private KafkaClientSettings kafka = KafkaClientSettings.NONE;

  @Override
  public void useKafkaClientSettings(KafkaClientSettings settings) {
    kafka = settings;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String topic = new Topics(topicPrefix).deadLetters().name();
    boolean filtered = !reasons.isEmpty() || stream != null || sourceTopic != null || at != null;
    if (action == Action.replay && !filtered && !all) {
      err.println("mmstream deadletters: replay needs a selection (--reason, --stream, --source-topic, --at) or --all");
      return 2;
    }
    List<Entry> selected;
    try {
      KafkaReachability.require(bootstrap, kafka, List.of(topic), KafkaReachability.DEFAULT_TIMEOUT);
      selected = DeadLetterLog.read(bootstrap, kafka, topic, Duration.ofSeconds(timeoutSeconds)).stream()
          .filter(this::selected).toList();
    } catch (KafkaReachability.Unreachable | IllegalStateException | IllegalArgumentException e) {
      err.println("mmstream deadletters: " + e.getMessage());
      return 1;
    }
    return switch (action) {
      case summary -> summary(out, topic, selected);
      case show -> show(out, selected);
      case replay -> replay(out, err, selected);
    };
  }

  private boolean selected(Entry e) {
    if (at != null && !at.equals(e.partition() + ":" + e.offset())) {
      return false;
    }
    if (stream != null && !stream.equals(e.key())) {
      return false;
    }
    DeadLetter d = e.letter();
    if (!reasons.isEmpty() && (d == null || !reasons.contains(d.getReason()))) {
      return false;
    }
    return sourceTopic == null || (d != null && sourceTopic.equals(d.getSourceTopic()));
  }

  private int summary(PrintWriter out, String topic, List<Entry> entries) {
    if (entries.isEmpty()) {
      out.println("no dead letters on " + topic + (at != null || stream != null || !reasons.isEmpty() ? " match" : ""));
      return 0;
    }
    List<Entry> decoded = entries.stream().filter(e -> e.letter() != null).toList();
    long first = decoded.stream().mapToLong(e -> e.letter().getRecordedAtMs()).min().orElse(0);
    long last = decoded.stream().mapToLong(e -> e.letter().getRecordedAtMs()).max().orElse(0);
    out.printf("%d dead letters on %s, recorded %s .. %s%n", entries.size(), topic, Instant.ofEpochMilli(first),
        Instant.ofEpochMilli(last));
    out.println("by reason (an example of each):");
    counts(decoded, e -> e.letter().getReason().toString()).forEach((reason, n) -> {
      Entry example = decoded.stream().filter(e -> e.letter().getReason().toString().equals(reason)).findFirst().orElseThrow();
      out.printf("  %6d  %-16s %s%n", n, reason, oneLine(example.letter().getDetail()));
    });
    out.println("by source:");
    counts(decoded, e -> e.letter().getSourceTopic() != null ? e.letter().getSourceTopic() : "(an aligned window)")
        .forEach((source, n) -> out.printf("  %6d  %s%n", n, source));
    out.println("by stream (most first, at most 10):");
    counts(entries, Entry::stream).entrySet().stream().limit(10)
        .forEach(c -> out.printf("  %6d  %s%n", c.getValue(), c.getKey()));
    long broken = entries.size() - decoded.size();
    if (broken > 0) {
      out.printf("%d dead letters themselves do not decode (written by another app?)%n", broken);
    }
    return 0;
  }

  private int show(PrintWriter out, List<Entry> entries) {
    List<Entry> shown = entries.stream().sorted(Comparator.comparingLong(Entry::timestampMs))
        .skip(Math.max(0, entries.size() - limit)).toList();
    for (Entry e : shown) {
      DeadLetter d = e.letter();
      if (d == null) {
        out.printf("%d:%d  %s  (undecodable dead letter: %s)%n", e.partition(), e.offset(), e.stream(), e.problem());
        continue;
      }
      String from = d.getSourceTopic() != null
          ? d.getSourceTopic() + " partition " + d.getSourcePartition() + " offset " + d.getSourceOffset()
          : "window [" + Instant.ofEpochMilli(d.getWindowStartMs()) + ", " + Instant.ofEpochMilli(d.getWindowEndMs()) + ")";
      out.printf("%d:%d  %s  %s  stream %s  from %s  (app %s)%n    %s%n", e.partition(), e.offset(),
          Instant.ofEpochMilli(d.getRecordedAtMs()), d.getReason(), e.stream(), from, d.getAppVersion(), oneLine(d.getDetail()));
    }
    if (shown.size() < entries.size()) {
      out.printf("(%d more; narrow with --reason, --stream or --at, or raise --limit)%n", entries.size() - shown.size());
    }
    return 0;
  }

  private int replay(PrintWriter out, PrintWriter err, List<Entry> entries) {
    List<Entry> replayable = new ArrayList<>();
    int windows = 0;
    for (Entry e : entries) {
      DeadLetter d = e.letter();
      if (d != null && d.getSourceTopic() != null && d.getOriginalValue() != null) {
        replayable.add(e);
      } else {
        windows++;
      }
    }
    Map<String, Long> byTopic = counts(replayable, e -> e.letter().getSourceTopic());
    if (dryRun || replayable.isEmpty()) {
      out.printf("%s %d records: %s%n", dryRun ? "would replay" : "nothing to replay:", replayable.size(), byTopic);
    } else {
      try (var producer = new KafkaProducer<byte[], byte[]>(kafka.over(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000)), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (Entry e : replayable) {
          DeadLetter d = e.letter();
          producer.send(new ProducerRecord<>(d.getSourceTopic(), bytes(d.getOriginalKey()), bytes(d.getOriginalValue())));
        }
        producer.flush();
      } catch (RuntimeException ex) {
        err.println("mmstream deadletters: replay failed: " + ex.getMessage());
        return 1;
      }
      out.printf("replayed %d records: %s%n", replayable.size(), byTopic);
    }
    if (windows > 0) {
      out.printf("%d selected dead letters are aligned windows or undecodable: they have no source record to replay"
          + " (replay the stream's inputs instead)%n", windows);
    }
    return 0;
  }

  private static Map<String, Long> counts(List<Entry> entries, Function<Entry, String> key) {
    Map<String, Long> counts = entries.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    byte[] copy = new byte[b.remaining()];
    b.duplicate().get(copy);
    return copy;
  }

  private static String oneLine(String s) {
    String line = s.replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 197) + "..." : line;
  }
}
