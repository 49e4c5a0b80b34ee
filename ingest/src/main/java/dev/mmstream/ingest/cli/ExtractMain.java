package dev.mmstream.ingest.cli;

import dev.mmstream.cli.Cli;
import dev.mmstream.ingest.extract.DatasetException;
import dev.mmstream.ingest.extract.DatasetExtractor;
import dev.mmstream.ingest.extract.DatasetLayout;
import dev.mmstream.ingest.extract.ExtractReport;
import dev.mmstream.ingest.extract.ExtractSettings;
import dev.mmstream.ingest.video.BlazeFaceVariant;
import dev.mmstream.ingest.extract.Manifest;
import dev.mmstream.ingest.extract.ManifestException;
import dev.mmstream.ingest.extract.TaskLabels;
import dev.mmstream.ingest.video.MissingModelException;
import dev.mmstream.schema.v1.Task;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./mmstream extract}: a labelled manifest in, a feature dataset out, with ingest's own featurizers. */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the live ingest featurizers (no Kafka) over every clip of a labelled manifest and writes a",
      "feature dataset: windows/<clip>.avro (model-input windows with labels and split),",
      "features/<clip>/*.avro (the raw topic records), errors.csv and dataset.json.",
      "Manifest columns: clip_id, media_path, labels (';'-separated), split (train|val|test),",
      "optional captions_path and metadata_path; paths are relative to the manifest.",
      "Reruns skip clips that are already done. Exit code 0: every clip extracted; 1: some clips",
      "were left out (listed in errors.csv); 2: nothing could be done (bad options or manifest)."
    })
public final class ExtractMain implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--manifest", required = true, description = "manifest.csv of the clips to extract.")
  Path manifest;

  @Option(names = "--out", required = true, description = "Dataset folder (created; reused by reruns).")
  Path out;

  @Option(names = "--jobs", description = "Parallel workers, each with its own models (default: min(2, cores)).")
  Integer jobs;

  @Option(names = "--task", description = "emotion or genre (default: the clips' metadata \"task\", else emotion).")
  String task;

  @Option(names = "--face-detector", description = "BlazeFace model: short-range or full-range (default: short-range"
      + " for emotion, full-range for genre, as ./mmstream ingest). Serve the model with the same setting.")
  String faceDetector;

  @Option(names = "--force", description = "Extract every clip again, even those an earlier run finished.")
  boolean force;

  @Option(names = "--models-dir", defaultValue = "models", description = "The npm model folder filled by setup (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  public static void main(String[] args) {
    System.exit(Cli.execute(new ExtractMain(), args, line -> line.setExecutionExceptionHandler(ExtractMain::fatal)));
  }

  /** A failure that stops the whole run (models, disk): its message, and a stack trace only for bugs. */
  private static int fatal(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (e instanceof MissingModelException || e instanceof UncheckedIOException) {
      cmd.getErr().println("extract: " + e.getMessage());
    } else {
      e.printStackTrace(cmd.getErr());
    }
    return 2;
  }

  /** A {@code --face-detector} value, refused as a usage error (exit code 2) when it names no model. */
  static Optional<BlazeFaceVariant> parseDetector(CommandLine command, String value) {
    try {
      return Optional.ofNullable(value).map(BlazeFaceVariant::ofRange);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(command, e.getMessage());
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Optional<Task> chosen = Optional.empty();
    if (task != null) {
      chosen = Optional.of(TaskLabels.parseTask(task).orElseThrow(() -> new CommandLine.ParameterException(
          spec.commandLine(), "--task " + task + " is not a task: use emotion or genre")));
    }
    Optional<BlazeFaceVariant> detector = parseDetector(spec.commandLine(), faceDetector);
    int workers = jobs == null ? DatasetExtractor.defaultJobs() : jobs;
    if (workers < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--jobs " + workers + " must be at least 1");
    }
    try {
      Manifest checked = Manifest.read(manifest, chosen);
      System.err.printf("extract: %s manifest %s: %d clips, %d bad rows; %d workers -> %s%n",
          TaskLabels.name(checked.task()), manifest, checked.clips().size(), checked.errors().size(), workers, out);
      var settings = ExtractSettings.defaults(checked.task(), modelsDir);
      if (detector.isPresent()) {
        settings = settings.withFaceDetector(detector.get());
      }
      ExtractReport report = new DatasetExtractor(settings, new DatasetLayout(out), workers, force, System.err).run(checked);
      System.out.println(report.describe());
      report.errors().forEach(e -> System.err.println("  left out " + e.clipId() + ": " + e.reason()));
      return report.errors().isEmpty() ? 0 : 1;
    } catch (ManifestException | DatasetException e) {
      System.err.println("extract: " + e.getMessage());
      return 2;
    }
  }
}
