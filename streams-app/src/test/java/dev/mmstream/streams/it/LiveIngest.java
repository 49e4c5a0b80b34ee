package dev.mmstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmstream.ingest.cli.IngestMain;
import dev.mmstream.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** {@code ./mmstream ingest} of the clip into the broker, in this JVM. */
final class LiveIngest {
  private LiveIngest() {}

  static void run(String bootstrap, Topics topics, SpeechClip clip, String streamId, long originMs, boolean realtime) {
    var args = new ArrayList<>(List.of("--source", clip.media().toString(), "--stream-id", streamId,
        "--captions", clip.captions().toString(), "--task", "emotion", "--bootstrap", bootstrap,
        "--topic-prefix", topics.prefix(), "--origin-ms", Long.toString(originMs),
        "--models-dir", SpeechClip.modelsDir().toString()));
    if (realtime) {
      args.add("--realtime");
    }
    assertThat(new CommandLine(new IngestMain()).execute(args.toArray(String[]::new)))
        .as("ingest exit status of %s", streamId).isZero();
  }
}
