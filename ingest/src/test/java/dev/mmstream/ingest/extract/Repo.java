package dev.mmstream.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The repository the tests run in: its models, its Python environment and the synth corpus generator. */
final class Repo {
  private Repo() {}

  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mmstream")) && Files.isDirectory(p.resolve("training"))) {
        return p;
      }
    }
    throw new AssertionError("no repository root (a folder with the mmstream launcher) above " + Path.of("").toAbsolutePath());
  }

  static Path models() {
    Path models = root().resolve("models");
    if (!Files.isDirectory(models.resolve("node_modules"))) {
      throw new AssertionError(models.resolve("node_modules") + " is missing: run ./mmstream setup");
    }
    return models;
  }

  /**
   * Generates a real labelled corpus with {@code python -m mmstream_synth} (H.264/AAC mp4, captions,
   * metadata, manifest.csv) and returns its manifest.
   */
  static Path synth(String task, int count, int seed, Path out) throws IOException, InterruptedException {
    Path python = root().resolve(".venv/bin/python");
    if (!Files.isExecutable(python)) {
      throw new AssertionError(python + " is missing: run ./mmstream setup");
    }
    Path log = Files.createTempFile("synth", ".log");
    Process process = new ProcessBuilder(List.of(python.toString(), "-m", "mmstream_synth", "--task", task,
        "--count", Integer.toString(count), "--out", out.toString(), "--seed", Integer.toString(seed), "--jobs", "2"))
        .directory(root().resolve("training").toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("synth finished").isTrue();
    assertThat(process.exitValue()).as("synth exit status; output: %s", Files.readString(log, StandardCharsets.UTF_8)).isZero();
    Files.delete(log);
    return out.resolve("manifest.csv");
  }
}
