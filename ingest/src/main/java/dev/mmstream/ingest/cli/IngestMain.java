package dev.mmstream.ingest.cli;

import dev.mmstream.cli.Cli;
import dev.mmstream.cli.KafkaClientCommand;
import dev.mmstream.ingest.pipeline.Featurizers;
import dev.mmstream.ingest.pipeline.IngestOutcome;
import dev.mmstream.ingest.pipeline.IngestPipeline;
import dev.mmstream.ingest.pipeline.LiveTranscript;
import dev.mmstream.ingest.pipeline.Pacer;
import dev.mmstream.ingest.pipeline.StreamRequest;
import dev.mmstream.ingest.publish.FeatureSink;
import dev.mmstream.ingest.publish.PublishException;
import dev.mmstream.ingest.source.DecoderOptions;
import dev.mmstream.ingest.source.InvalidSourceException;
import dev.mmstream.ingest.source.SourceUri;
import dev.mmstream.ingest.transcript.CaptionException;
import dev.mmstream.ingest.audio.AudioSpec;
import dev.mmstream.ingest.transcript.TokenFeatureSpec;
import dev.mmstream.ingest.video.MissingModelException;
import dev.mmstream.ingest.batch.BatchIngest;
import dev.mmstream.ingest.extract.ClipMetadata;
import dev.mmstream.ingest.batch.BatchProgress;
import dev.mmstream.ingest.batch.IngestLedger;
import dev.mmstream.ingest.batch.IngestManifest;
import dev.mmstream.ingest.batch.Trailer;
import dev.mmstream.ingest.batch.TrailerFolder;
import dev.mmstream.ingest.video.ThumbnailSampler;
import dev.mmstream.ingest.video.VideoOptions;
import dev.mmstream.ingest.publish.KafkaFeatureSink;
import dev.mmstream.schema.KafkaClientSettings;
import dev.mmstream.schema.KafkaReachability;
import dev.mmstream.schema.Topics;
import dev.mmstream.schema.v1.Task;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./mmstream ingest}: decode a source and publish its features to Kafka. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes a media file, a network stream (rtsp://, http(s)://, HLS) or a device (v4l2:/dev/video0),",
      "computes frame, log-mel and token features and publishes them to Kafka with START and END events.",
      "Without --source, --captions makes a transcript-only stream; --captions - reads it live from standard",
      "input, one line per cue: plain text (stamped when it arrives) or START<TAB>END<TAB>TEXT in seconds.",
      "--dir or --manifest ingests many trailers (genre by default), --jobs at a time, each once: what was",
      "ingested is kept in a ledger; --watch takes the folder's new trailers as they land, until Ctrl-C.",
      "Exit code 0: the whole source was read (every trailer); 1: it failed (the reason is printed and sent in END)."
    })
public final class IngestMain implements Callable<Integer>, KafkaClientCommand {
  @Option(names = "--source", description = "File path or URL or device to decode (leave out for a transcript-only stream).")
  String source;

  @Option(names = "--stream-id", description = "Key of every record of this stream (required with --source or --captions).")
  String streamId;

  @Option(names = "--dir", description = "A folder of trailers: NAME.mp4 (mkv, webm, mov, ...) with optional NAME.json"
      + " (title, plot, year, runtime, poster) and NAME.srt/.vtt; stream id NAME.")
  Path dir;

  @Option(names = "--watch", description = "With --dir: keep watching it and take each new trailer once its files stop"
      + " changing (--settle-ms), until Ctrl-C.")
  boolean watch;

  @Option(names = "--manifest", description = "A CSV of trailers: media_path and optionally stream_id (or clip_id),"
      + " captions_path, metadata_path (synth's manifest.csv is one).")
  Path manifest;

  @Option(names = "--jobs", description = "Trailers ingested at once with --dir or --manifest (default: the number of cores).")
  Integer jobs;

  @Option(names = "--ledger", description = "The record of ingested trailers (default: DIR/.mmstream-ingested.tsv,"
      + " or MANIFEST.ingested.tsv).")
  Path ledger;

  @Option(names = "--settle-ms", defaultValue = "2000", description = "With --watch: how long a new trailer's files"
      + " must stay unchanged before it is taken (default: ${DEFAULT-VALUE}).")
  long settleMs;

  @Option(names = "--captions", description = "SRT or WebVTT sidecar file (default: the file's embedded subtitles, if any);"
      + " '-' reads a live transcript from standard input (without --source).")
  Path captions;

  @Option(names = "--meta", description = "JSON object with stream metadata (title, plot, ...) for START.")
  Path meta;

  @Option(names = "--task", description = "emotion or genre (default: emotion; genre with --dir or --manifest).")
  String task;

  @Option(names = "--realtime", description = "Pace a file as if it were live (network sources always are).")
  boolean realtime;

  @Option(names = "--fps", description = "Video frames sampled per second (default: 5 for emotion, 2 for genre).")
  Double fps;

  @Option(names = "--face-detector", description = "BlazeFace model: short-range (128x128, faces near the camera)"
      + " or full-range (256x256, wide shots; ~6x the cost). Default: short-range for emotion, full-range for genre."
      + " A model only accepts the detector its training data was extracted with.")
  String faceDetector;

  @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--models-dir", defaultValue = "models", description = "The npm model folder filled by setup (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(names = "--origin-ms", description = "Wall-clock time of media pts 0, epoch ms (default: now, whole second).")
  Long originMs;

  @Option(names = "--decode-threads", defaultValue = "1", description = "FFmpeg video decoding threads (default: ${DEFAULT-VALUE},"
      + " the least CPU per stream; more only for one high-resolution stream that one core cannot decode fast enough).")
  int decodeThreads;

  @Option(names = "--outage-s", defaultValue = "300", description = "How long records are kept while Kafka does not"
      + " answer; past it ingest stops with exit code 1 (default: ${DEFAULT-VALUE}; at least 30).")
  int outageSeconds;

  @Option(names = "--buffer-mb", defaultValue = "64", description = "Memory for records Kafka has not acknowledged;"
      + " when full, decoding waits (default: ${DEFAULT-VALUE}).")
  int bufferMb;

  @Option(names = "--thumbnails", description = "Also publish a small JPEG of a sampled frame, with its face box, about"
      + " once a second to the thumbnails topic (for dashboards; kept an hour).")
  boolean thumbnails;

  @Option(names = "--thumbnail-every-ms", defaultValue = "1000", description = "Media time between thumbnails (default: ${DEFAULT-VALUE}).")
  long thumbnailEveryMs;

  @Option(names = "--thumbnail-width", defaultValue = "320", description = "Thumbnail width in pixels (default: ${DEFAULT-VALUE}).")
  int thumbnailWidth;

  @Option(names = "--timeout-s", defaultValue = "8", description = "Longest wait, in seconds, for a network source to answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private static final String STDIN = "-";

  private final SinkFactory sinks;
  private KafkaClientSettings kafka = KafkaClientSettings.NONE;
  private final InputStream stdin;
  private final PrintStream out;
  private final PrintStream err;

  public IngestMain() {
    this(SinkFactory.KAFKA, System.in, System.out, System.err);
  }

  /** An ingest that publishes to Kafka and prints to these streams instead of the process's, as an embedding app would. */
  public IngestMain(PrintStream out, PrintStream err) {
    this(SinkFactory.KAFKA, System.in, out, err);
  }

  IngestMain(SinkFactory sinks, PrintStream out, PrintStream err) {
    this(sinks, InputStream.nullInputStream(), out, err);
  }

  IngestMain(SinkFactory sinks, InputStream stdin, PrintStream out, PrintStream err) {
    this.sinks = sinks;
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  @Override
  public void useKafkaClientSettings(KafkaClientSettings settings) {
    kafka = settings;
  }

  public static void main(String[] args) {
    IngestMain main = new IngestMain();
    System.exit(Cli.execute(main, args, line -> withHandlers(line, main)));
  }

  /** The command with its error handling: a bad source or file is one line on stderr and exit code 1. */
  public static CommandLine commandLine(IngestMain main) {
    return withHandlers(Cli.commandLine(main), main);
  }

  private static CommandLine withHandlers(CommandLine line, IngestMain main) {
    return line
        .setOut(new PrintWriter(main.out, true))
        .setErr(new PrintWriter(main.err, true))
        .setExecutionExceptionHandler(IngestMain::failed);
  }

  private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    boolean explained = e instanceof InvalidSourceException || e instanceof CaptionException
        || e instanceof IllegalArgumentException || e instanceof MissingModelException
        || e instanceof PublishException || e instanceof KafkaException;
    if (explained) {
      cmd.getErr().println("ingest: " + e.getMessage());
    } else {
      cmd.getErr().println("ingest failed unexpectedly (a bug: please report it with this trace):");
      e.printStackTrace(cmd.getErr());
    }
    return 1;
  }

  @Override
  public Integer call() throws Exception {
    if (dir != null || manifest != null) {
      return batch();
    }
    if (watch) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--watch needs --dir: the folder to watch");
    }
    if (streamId == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --stream-id: the key of every record of this stream");
    }
    Task parsedTask = parseTask(task == null ? "emotion" : task);
    boolean liveTranscript = captions != null && captions.toString().equals(STDIN);
    if (source == null && captions == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "give --source (media), --captions (a transcript-only stream) or both");
    }
    if (liveTranscript && source != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--captions - makes a transcript-only stream: leave out"
          + " --source (captions that arrive after their media's windows closed would be late), or give a caption file");
    }
    Optional<SourceUri> uri = source == null ? Optional.empty() : Optional.of(SourceUri.parse(source));
    Optional<ThumbnailSampler.Options> thumbnailOptions = thumbnails ? Optional.of(thumbnailOptions()) : Optional.empty();
    var request = new StreamRequest(streamId, uri, Optional.ofNullable(captions), parsedTask,
        meta == null ? Map.of() : ClipMetadata.read(meta), originMs != null ? originMs : StreamRequest.originNow());
    var pacer = realtime && uri.map(SourceUri::isFile).orElse(true) ? Pacer.realtime() : Pacer.AS_FAST_AS_POSSIBLE;
    var decoding = decoderOptions(parsedTask);
    var progress = new ProgressLine(streamId, err);
    IngestOutcome outcome;
    var video = videoOptions(parsedTask);
    if (thumbnailOptions.isPresent() && sinks == SinkFactory.KAFKA) {
      // a cluster provisioned before thumbnails existed lacks their topic: say so now, not after --outage-s
      try {
        KafkaReachability.require(bootstrap, kafka, List.of(new Topics(topicPrefix).videoThumbnails().name()),
            KafkaReachability.DEFAULT_TIMEOUT);
      } catch (KafkaReachability.Unreachable e) {
        err.println("mmstream ingest: " + e.getMessage());
        return 1;
      }
    }
    try (var featurizers = new Featurizers(modelsDir, video, AudioSpec.defaults(), TokenFeatureSpec.defaults());
        var sink = Closing.of(sinks.open(bootstrap, kafka, new Topics(topicPrefix), request.originMs(),
            new KafkaFeatureSink.Outage(Duration.ofSeconds(outageSeconds), (long) bufferMb << 20), progress::message))) {
      if (liveTranscript) {
        var transcript = new LiveTranscript(featurizers, System::currentTimeMillis, w -> err.println("warning: " + w));
        outcome = transcript.run(request, new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), sink.sink());
      } else {
        var pipeline = new IngestPipeline(featurizers, decoding, pacer, progress::update);
        outcome = thumbnailOptions.map(pipeline::withThumbnails).orElse(pipeline).run(request, sink.sink());
      }
    } catch (KafkaReachability.Unreachable e) {
      err.println("mmstream ingest: " + e.getMessage());
      return 1;
    } finally {
      progress.finish();
    }
    outcome.warnings().forEach(w -> err.println("warning: " + w));
    out.println(outcome.summary());
    return outcome instanceof IngestOutcome.Completed ? 0 : 1;
  }

  /** --dir or --manifest: many trailers, each as its own stream, recorded in the ledger. */
  private int batch() throws Exception {
    if (dir != null && manifest != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --dir or --manifest, not both");
    }
    if (watch && dir == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--watch needs --dir: a manifest is a fixed list");
    }
    for (var single : List.of(new Object[] {"--source", source}, new Object[] {"--stream-id", streamId},
        new Object[] {"--captions", captions}, new Object[] {"--meta", meta}, new Object[] {"--origin-ms", originMs})) {
      if (single[1] != null) {
        throw new CommandLine.ParameterException(spec.commandLine(), single[0] + " is for one stream: with --dir or --manifest"
            + " each trailer's media, sidecars and stream id come from the folder or the manifest");
      }
    }
    if (realtime || thumbnails) {
      throw new CommandLine.ParameterException(spec.commandLine(), (realtime ? "--realtime" : "--thumbnails")
          + " is for live streams: a batch ingests trailers as fast as they decode");
    }
    Task parsedTask = parseTask(task == null ? "genre" : task);
    int parallel = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    TrailerFolder folder = dir == null ? null : new TrailerFolder(dir);
    List<Trailer> listed = manifest == null ? null : IngestManifest.read(manifest);
    Path ledgerFile = ledger != null ? ledger
        : dir != null ? dir.resolve(".mmstream-ingested.tsv") : manifest.resolveSibling(manifest.getFileName() + ".ingested.tsv");
    var video = videoOptions(parsedTask);
    var decoding = decoderOptions(parsedTask);
    var topics = new Topics(topicPrefix);
    var outage = new KafkaFeatureSink.Outage(Duration.ofSeconds(outageSeconds), (long) bufferMb << 20);
    var progress = new BatchProgress(err, System::nanoTime);
    // Ctrl-C while watching: stop taking trailers, let the ones in flight finish, print the summary, then exit
    var finished = new CountDownLatch(1);
    try (var featurizers = new Featurizers(modelsDir, video, AudioSpec.defaults(), TokenFeatureSpec.defaults());
        var bar = new BatchProgressLine(progress, err)) {
      var batch = new BatchIngest(featurizers, decoding, parsedTask,
          origin -> sinks.open(bootstrap, kafka, topics, origin, outage, bar::message), IngestLedger.open(ledgerFile), progress, parallel);
      if (watch) {
        err.println("watching " + dir.toAbsolutePath() + " for trailers (" + parallel + " at a time; ledger " + ledgerFile
            + "); Ctrl-C stops once the trailers being ingested are done");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          batch.stop();
          try {
            finished.await(5, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "ingest-watch-stop"));
        batch.watch(folder, Duration.ofMillis(settleMs), Duration.ofSeconds(1));
      } else {
        batch.run(folder != null ? folder.scan() : listed);
      }
      out.println(progress.summary());
      return progress.failures().isEmpty() ? 0 : 1;
    } catch (BatchIngest.BatchStoppedException | KafkaReachability.Unreachable e) {
      err.println("mmstream ingest: " + e.getMessage());
      out.println(progress.summary());
      return 1;
    } finally {
      out.flush();
      finished.countDown();
    }
  }

  /** The task's video featurizer settings, with --face-detector when given. */
  private VideoOptions videoOptions(Task parsedTask) {
    var video = VideoOptions.forTask(parsedTask);
    return ExtractMain.parseDetector(spec.commandLine(), faceDetector).map(video::withDetector).orElse(video);
  }

  /** --fps (else the task's rate), --timeout-s and --decode-threads. */
  private DecoderOptions decoderOptions(Task parsedTask) {
    double sampledFps = fps != null ? fps : VideoOptions.defaultFps(parsedTask);
    return new DecoderOptions(sampledFps, Duration.ofSeconds(timeoutSeconds), decodeThreads);
  }

  private ThumbnailSampler.Options thumbnailOptions() {
    var defaults = ThumbnailSampler.Options.DEFAULT;
    return new ThumbnailSampler.Options(Duration.ofMillis(thumbnailEveryMs), thumbnailWidth, defaults.quality());
  }

  /** Closes a sink that holds resources (the Kafka producer flushes here); a memory sink needs nothing. */
  private record Closing(FeatureSink sink) implements AutoCloseable {
    static Closing of(FeatureSink sink) {
      return new Closing(sink);
    }

    @Override
    public void close() throws Exception {
      if (sink instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  static Task parseTask(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "emotion" -> Task.EMOTION;
      case "genre" -> Task.GENRE;
      default -> throw new CommandLine.ParameterException(new CommandLine(new IngestMain()),
          "--task " + value + " is not a task: use emotion or genre");
    };
  }
}
