package dev.mmstream.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes tiny test clips with the ffmpeg binary; production code never runs it. */
final class FfmpegCli {

  private FfmpegCli() {}

  /** A 2 s 64x48 test-pattern video, plus {@code extraArgs} (inputs, codecs), written to {@code out}. */
  static Path clip(Path out, String... extraArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=duration=2:size=64x48:rate=10"));
    command.addAll(List.of(extraArgs));
    command.addAll(List.of("-c:v", "mpeg4", out.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
    assertThat(process.exitValue()).as("ffmpeg exit status; output: %s", log).isZero();
    return out;
  }
}
