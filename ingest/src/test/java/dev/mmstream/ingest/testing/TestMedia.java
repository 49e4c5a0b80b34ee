package dev.mmstream.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Real media for the ingest tests, made with the ffmpeg and espeak-ng binaries (production code
 * never runs them): a test-pattern video with spoken words, and an SRT file whose cues fall inside it.
 */
public final class TestMedia {
  /** Caption cues of {@link #srt}: one per second-and-a-half slot, in order. */
  public static final List<String> CUE_TEXTS = List.of("the cat sat on the mat", "a dog ran in the park",
      "good night", "see you soon", "the end of the day", "one two three");

  private TestMedia() {}

  /** Spoken English, as 22.05 kHz mono WAV. */
  public static Path speech(Path dir) {
    Path wav = dir.resolve("speech.wav");
    run(List.of("espeak-ng", "-s", "170", "-w", wav.toString(), String.join(". ", CUE_TEXTS.subList(0, 2))));
    return wav;
  }

  /**
   * A clip of {@code seconds} seconds: testsrc video at {@code fps} (H.264) and speech padded with
   * silence to the same length, 44.1 kHz stereo PCM (so the decoder resamples), in Matroska. PCM has no
   * encoder priming or padding, so the clip's audio lasts exactly {@code seconds}.
   */
  public static Path clip(Path dir, String name, double seconds, int width, int height, int fps) {
    Path out = dir.resolve(name);
    Path speech = speech(dir);
    String d = String.format(Locale.ROOT, "%.3f", seconds);
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=duration=" + d + ":size=" + width + "x" + height + ":rate=" + fps,
        "-i", speech.toString(),
        "-filter_complex", "[1:a]aresample=44100,apad,atrim=0:" + d + "[a]",
        "-map", "0:v", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "pcm_s16le", "-ac", "2", out.toString()));
    return out;
  }

  /** Like {@link #clip} but MP4 (index first, as web sites serve it) with H.264 and AAC audio. */
  public static Path mp4(Path dir, String name, double seconds, int width, int height, int fps) {
    Path out = dir.resolve(name);
    Path speech = speech(dir);
    String d = String.format(Locale.ROOT, "%.3f", seconds);
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=duration=" + d + ":size=" + width + "x" + height + ":rate=" + fps,
        "-i", speech.toString(),
        "-filter_complex", "[1:a]apad,atrim=0:" + d + "[a]",
        "-map", "0:v", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-g", Integer.toString(fps), "-c:a", "aac", "-ar", "16000", "-ac", "1", "-movflags", "+faststart",
        out.toString()));
    return out;
  }

  /**
   * A silent H.264 clip of {@code seconds} seconds showing a real photo of a person (face-api's demo photo
   * {@code sample1.jpg}, from the npm models) at 640 pixels wide: a video with a face in every frame.
   */
  public static Path faceVideo(Path dir, String name, double seconds, int fps) {
    Path photo = modelsDir().resolve("node_modules/@vladmandic/face-api/demo/sample1.jpg");
    if (!Files.isRegularFile(photo)) {
      throw new AssertionError(photo + " is missing: run ./mmstream setup");
    }
    return ffmpeg(dir.resolve(name), "-loop", "1", "-i", photo.toString(),
        "-t", String.format(Locale.ROOT, "%.3f", seconds), "-r", Integer.toString(fps), "-vf", "scale=640:-2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
  }

  /** Re-encodes {@code args} with ffmpeg into {@code out} (free-form, for the odd inputs of bad-input tests). */
  public static Path ffmpeg(Path out, String... args) {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
    command.addAll(List.of(args));
    command.add(out.toString());
    run(command);
    return out;
  }

  /** {@link #CUE_TEXTS} as SRT: cue i from 1.5 i + 0.2 s to 1.5 i + 1.4 s, as many as fit in {@code seconds}. */
  public static Path srt(Path dir, double seconds) {
    StringBuilder srt = new StringBuilder();
    for (int i = 0; i < cueCount(seconds); i++) {
      srt.append(i + 1).append('\n')
          .append(time(cueStartMs(i))).append(" --> ").append(time(cueEndMs(i))).append('\n')
          .append(CUE_TEXTS.get(i)).append("\n\n");
    }
    return write(dir.resolve("captions.srt"), srt.toString());
  }

  public static int cueCount(double seconds) {
    int n = 0;
    while (n < CUE_TEXTS.size() && cueEndMs(n) <= seconds * 1000) {
      n++;
    }
    return n;
  }

  public static long cueStartMs(int i) {
    return 1500L * i + 200;
  }

  public static long cueEndMs(int i) {
    return 1500L * i + 1400;
  }

  public static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository's models/ folder (filled by ./mmstream setup); fails clearly when it is not set up. */
  public static Path modelsDir() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("mmstream")) || Files.exists(p.resolve(".git"))) {
        Path models = p.resolve("models");
        if (!Files.isDirectory(models.resolve("node_modules"))) {
          throw new AssertionError(models.resolve("node_modules") + " is missing: run ./mmstream setup");
        }
        return models;
      }
    }
    throw new AssertionError("no repository root (a folder with the mmstream launcher or .git) above " + start);
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
