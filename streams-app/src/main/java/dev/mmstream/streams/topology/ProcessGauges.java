package dev.mmstream.streams.topology;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What a long run watches for growth: heap after the last collection, open file descriptors, the state
 * directory's size on disk and the input consumers' lag. Read at each scrape of /metrics.
 */
final class ProcessGauges {
  private final KafkaStreams streams;
  private final Path stateDir;

  ProcessGauges(KafkaStreams streams, Path stateDir) {
    this.streams = streams;
    this.stateDir = stateDir;
  }

  /** Heap in use right after each pool's last collection (after a full GC: the live set). */
  static long heapAfterGcBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      sum += after == null ? 0 : after.getUsed();
    }
    return sum;
  }

  /** -1 where the platform does not say. */
  static long openFileDescriptors() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getOpenFileDescriptorCount() : -1;
  }

  long stateDirBytes() {
    try (Stream<Path> files = Files.walk(stateDir)) {
      return files.filter(Files::isRegularFile).mapToLong(ProcessGauges::size).sum();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | UncheckedIOException e) {
      return -1;  // a store file rolled away while walking: the next scrape reads it again
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;  // deleted between listing and reading: RocksDB compactions replace files all the time
    }
  }

  /** Records the input consumers have not read yet, summed over their partitions (restore consumers left out). */
  long consumerLag() {
    double lag = 0;
    for (Metric m : streams.metrics().values()) {
      var name = m.metricName();
      String client = name.tags().getOrDefault("client-id", "");
      if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
          && client.endsWith("-consumer") && !client.endsWith("restore-consumer")
          && m.metricValue() instanceof Double value && Double.isFinite(value)) {
        lag += value;
      }
    }
    return (long) lag;
  }

  void render(StringBuilder sb) {
    gauge(sb, "mmstream_jvm_heap_after_gc_bytes", "Heap in use after each pool's last collection.", heapAfterGcBytes());
    gauge(sb, "mmstream_process_open_fds", "Open file descriptors of this process.", openFileDescriptors());
    gauge(sb, "mmstream_state_dir_bytes", "Size of the state directory on disk.", stateDirBytes());
    gauge(sb, "mmstream_consumer_lag_records", "Input records not yet read, over all partitions.", consumerLag());
  }

  private static void gauge(StringBuilder sb, String name, String help, long value) {
    sb.append(String.format(Locale.ROOT, "# HELP %s %s%n# TYPE %s gauge%n%s %d%n", name, help, name, name, value));
  }
}
