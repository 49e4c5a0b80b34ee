package dev.mmstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this process (all threads, native ones included: FFmpeg's and ONNX Runtime's) and of its
 * finished child processes, in seconds. Linux only: the children's time comes from /proc/self/stat.
 */
final class CpuClock {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private CpuClock() {}

  static double processSeconds() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return os.getProcessCpuTime() / 1e9;
  }

  /** User + system time of the children this process has waited for (fields 16 and 17 of /proc/self/stat). */
  static double childrenSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/stat (the benchmark measures CPU time on Linux)", e);
    }
  }
}
