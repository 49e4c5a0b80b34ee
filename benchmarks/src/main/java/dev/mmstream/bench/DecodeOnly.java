package dev.mmstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The reference: {@code ffmpeg -i clip -f null -}, FFmpeg decoding every frame and sample and nothing more. */
final class DecodeOnly {
  private DecodeOnly() {}

  /** @param threads FFmpeg decoder threads, 0 = FFmpeg's default (one per core) */
  static Timing measure(Path media, int threads) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error"));
    if (threads > 0) {
      command.addAll(List.of("-threads", Integer.toString(threads)));
    }
    command.addAll(List.of("-i", media.toString(), "-f", "null", "-"));
    double cpuBefore = CpuClock.childrenSeconds();
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + log);
    }
    double wall = (System.nanoTime() - started) / 1e9;
    return new Timing(wall, CpuClock.childrenSeconds() - cpuBefore);
  }

  static String command(int threads) {
    return "ffmpeg " + (threads > 0 ? "-threads " + threads + " " : "") + "-i clip -f null -";
  }
}
