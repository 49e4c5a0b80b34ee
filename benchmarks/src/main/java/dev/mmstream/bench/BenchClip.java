package dev.mmstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's media: {@code seconds} of 640x360 H.264 at 25 fps panning over a real photo of faces
 * (from the face-api npm package), with espeak-ng speech as 44.1 kHz stereo AAC (so the decoder
 * resamples, as for most real media), in MP4, plus an SRT with one cue every 3 s. Made with the ffmpeg
 * and espeak-ng binaries once and kept, so runs compare the same bytes.
 */
record BenchClip(Path media, Path captions, double seconds) {
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  static final int FPS = 25;
  private static final String PHOTO = "node_modules/@vladmandic/face-api/demo/sample6.jpg";
  private static final List<String> SENTENCES = List.of(
      "the storm rolled over the hills before dawn", "she laughed and opened the old wooden door",
      "nobody expected the train to arrive so early", "we will meet again at the harbour tonight",
      "the children ran across the field in the rain", "his voice was calm but his hands were shaking",
      "a small light flickered in the distant window", "they counted the coins twice and smiled");

  static BenchClip makeOrReuse(Path dir, Path modelsDir, double seconds) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String name = String.format(Locale.ROOT, "clip-%.0fs-%dx%d-%dfps", seconds, WIDTH, HEIGHT, FPS);
    var clip = new BenchClip(dir.resolve(name + ".mp4"), dir.resolve(name + ".srt"), seconds);
    if (Files.isRegularFile(clip.media()) && Files.isRegularFile(clip.captions())) {
      return clip;
    }
    Path photo = modelsDir.resolve(PHOTO);
    if (!Files.isRegularFile(photo)) {
      throw new IllegalStateException(photo + " is missing: run ./mmstream setup");
    }
    Path speech = dir.resolve("speech.wav");
    run(List.of("espeak-ng", "-s", "160", "-w", speech.toString(), String.join(". ", SENTENCES)));
    String d = String.format(Locale.ROOT, "%.3f", seconds);
    run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-loop", "1", "-framerate", Integer.toString(FPS),
        "-i", photo.toString(), "-i", speech.toString(), "-filter_complex",
        "[0:v]scale=1280:-2,crop=" + WIDTH + ":" + HEIGHT + ":x='200+100*sin(t/4)':y=150,format=yuv420p[v];"
            + "[1:a]aloop=loop=-1:size=2000000000,atrim=0:" + d + ",aresample=44100[a]",
        "-map", "[v]", "-map", "[a]", "-t", d, "-r", Integer.toString(FPS), "-c:v", "libx264", "-preset", "veryfast",
        "-c:a", "aac", "-ac", "2", "-movflags", "+faststart", clip.media().toString()));
    Files.writeString(clip.captions(), srt(seconds), StandardCharsets.UTF_8);
    return clip;
  }

  int cues() {
    return (int) (seconds / 3);
  }

  private static String srt(double seconds) {
    var srt = new StringBuilder();
    for (int i = 0; i < (int) (seconds / 3); i++) {
      srt.append(i + 1).append('\n').append(time(3000L * i + 100)).append(" --> ").append(time(3000L * i + 2800))
          .append('\n').append(SENTENCES.get(i % SENTENCES.size())).append("\n\n");
    }
    return srt.toString();
  }

  private static String time(long ms) {
    return String.format(Locale.ROOT, "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + log);
    }
  }
}
