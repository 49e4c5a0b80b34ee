package dev.mmstream.streams.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real clip for the integration tests, made with the ffmpeg and espeak-ng binaries: {@link #SECONDS}
 * of testsrc video (H.264) with spoken words (PCM in Matroska) and an SRT file. The captions cover only
 * the first half, so the last windows have no text and must be masked, not refused.
 */
record SpeechClip(Path media, Path captions) {
  static final double SECONDS = 8.0;
  /** Short cues (1.2 s): a cue is published when the media passes its end, well inside the grace. */
  static final List<String> CUES = List.of("the cat sat on the mat", "a dog ran in the park", "good night");

  static SpeechClip make(Path dir) {
    Path wav = dir.resolve("speech.wav");
    run(List.of("espeak-ng", "-s", "170", "-w", wav.toString(), String.join(". ", CUES)));
    Path media = dir.resolve("clip.mkv");
    String d = String.format(Locale.ROOT, "%.3f", SECONDS);
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=duration=" + d + ":size=320x240:rate=25",
        "-i", wav.toString(),
        "-filter_complex", "[1:a]aresample=44100,apad,atrim=0:" + d + "[a]",
        "-map", "0:v", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "pcm_s16le", "-ac", "2", media.toString()));
    var srt = new StringBuilder();
    for (int i = 0; i < CUES.size(); i++) {
      srt.append(i + 1).append('\n').append(time(1500L * i + 200)).append(" --> ").append(time(1500L * i + 1400))
          .append('\n').append(CUES.get(i)).append("\n\n");
    }
    try {
      return new SpeechClip(media, Files.writeString(dir.resolve("clip.srt"), srt.toString(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository's models/ folder (npm face models, filled by ./mmstream setup). */
  static Path modelsDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("mmstream")) && Files.isDirectory(p.resolve("models"))) {
        Path models = p.resolve("models");
        if (!Files.isDirectory(models.resolve("node_modules"))) {
          throw new AssertionError(models.resolve("node_modules") + " is missing: run ./mmstream setup");
        }
        return models;
      }
    }
    throw new AssertionError("no repository root (a folder with the mmstream launcher) above " + Path.of("").toAbsolutePath());
  }

  private static String time(long ms) {
    return String.format(Locale.ROOT, "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command.get(0) + " did not finish in 60 s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "): " + log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0) + " (apt-get install ffmpeg espeak-ng)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command.get(0), e);
    }
  }
}
