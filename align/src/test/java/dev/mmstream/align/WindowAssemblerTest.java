package dev.mmstream.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmstream.schema.SampleRecords;
import dev.mmstream.schema.v1.AudioFeatures;
import dev.mmstream.schema.v1.FrameFeatures;
import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.schema.v1.TokenFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowAssemblerTest {
  private final SampleRecords samples = new SampleRecords(3);
  private final WindowAssembler assembler = new WindowAssembler(WindowSpec.emotion());

  @Test
  void selectsFramesByPresentationTimeInOrder() {
    var frames = new ArrayList<FrameFeatures>();
    for (int i = 0; i < 30; i++) {
      frames.add(samples.frame("s", i)); // pts = i * 200 ms
    }
    Collections.shuffle(frames, new java.util.Random(1));

    var window = assembler.assemble("s", Task.EMOTION, new StreamFeatures(frames, List.of(), List.of()), new WindowBounds(1000, 3000));

    assertThat(window.getVideo().getRows()).isEqualTo(10); // pts 1000, 1200, ..., 2800
    int dim = window.getVideo().getCols();
    float firstBrightness = window.getVideo().getValues().get(dim - 5 + 0);
    var frameAt1000 = frames.stream().filter(f -> f.getPtsMs() == 1000).findFirst().orElseThrow();
    assertThat(firstBrightness).isEqualTo(frameAt1000.getScene().getBrightness());
    assertThat(window.getSpecIds()).containsEntry("video", "video.test@v1");
  }

  @Test
  void subsamplesFramesEvenlyToTheMaximum() {
    var frames = new ArrayList<FrameFeatures>();
    for (int i = 0; i < 100; i++) {
      frames.add(samples.frame("s", i));
    }
    var window = assembler.assemble("s", Task.EMOTION, new StreamFeatures(frames, List.of(), List.of()), new WindowBounds(0, 20_000));
    assertThat(window.getVideo().getRows()).isEqualTo(WindowSpec.emotion().maxVideoFrames());
  }

  @Test
  void poolsAudioFramesIntoStepsOfTheSpec() {
    var chunk = audioChunk(0, 100, 2.0f); // 1 s: frames at 0, 10, ..., 990 ms
    var window = assembler.assemble("s", Task.EMOTION, new StreamFeatures(List.of(), List.of(chunk), List.of()), new WindowBounds(0, 4000));

    Matrix audio = window.getAudio();
    assertThat(audio.getRows()).as("1 s of audio in 100 ms steps; the rest of the window is absent").isEqualTo(10);
    assertThat(audio.getCols()).isEqualTo(64 + 3);
    assertThat(audio.getValues().get(0)).isEqualTo(2.0f);
    assertThat(audio.getValues().get(64)).as("log(1 + 200 Hz)").isCloseTo((float) Math.log1p(200), org.assertj.core.data.Offset.offset(1e-5f));
    assertThat(audio.getValues().get(66)).as("energy of constant -20 dBFS").isCloseTo(-20f, org.assertj.core.data.Offset.offset(1e-4f));
  }

  @Test
  void tokensAreSelectedByTheirOwnTimesNotTheirCue() {
    TokenFeatures cue = samples.tokens("s", 0); // tokens at 0, 300, 600, 900, 1200 ms
    var window = assembler.assemble("s", Task.EMOTION, new StreamFeatures(List.of(), List.of(), List.of(cue)), new WindowBounds(500, 1000));
    assertThat(window.getText().getRows()).isEqualTo(2);
    assertThat(window.getText().getValues().subList(0, 384)).isEqualTo(cue.getEmbeddings().getValues().subList(2 * 384, 3 * 384));
  }

  @Test
  void aMissingModalityHasNoRowsAndNoSpecId() {
    var window = assembler.assemble("s", Task.EMOTION, new StreamFeatures(List.of(samples.frame("s", 0)), List.of(), List.of()), new WindowBounds(0, 4000));
    assertThat(window.getAudio().getRows()).isZero();
    assertThat(window.getText().getRows()).isZero();
    assertThat(window.getSpecIds()).containsKeys("video", "window").doesNotContainKeys("audio", "text");
  }

  @Test
  void refusesMixedSpecIdsInOneWindow() {
    var a = samples.frame("s", 0);
    var b = samples.frame("s", 1);
    b.setSpecId("video.other@v2");
    assertThatThrownBy(() -> assembler.assemble("s", Task.EMOTION, new StreamFeatures(List.of(a, b), List.of(), List.of()), new WindowBounds(0, 4000)))
        .isInstanceOf(MalformedFeaturesException.class)
        .hasMessageContaining("different spec ids");
  }

  @Test
  void refusesNonFiniteValuesNamingTheModality() {
    var chunk = audioChunk(0, 100, Float.NaN);
    assertThatThrownBy(() -> assembler.assemble("s", Task.EMOTION, new StreamFeatures(List.of(), List.of(chunk), List.of()), new WindowBounds(0, 4000)))
        .isInstanceOf(MalformedFeaturesException.class)
        .hasMessageContaining("audio");
  }

  @Test
  void hoppingWindowsStartEverySecondUntilTheClipEnds() {
    var windows = HoppingWindows.emotion().over(6500);
    assertThat(windows).hasSize(7);
    assertThat(windows.get(6)).isEqualTo(new WindowBounds(6000, 10_000));
    assertThat(new HoppingWindows(Duration.ofSeconds(4), Duration.ofSeconds(2)).over(4000)).hasSize(2);
  }

  private static AudioFeatures audioChunk(long startMs, int frames, float melValue) {
    var mel = new ArrayList<Float>();
    var prosody = new ArrayList<Float>();
    for (int i = 0; i < frames; i++) {
      for (int b = 0; b < 64; b++) {
        mel.add(melValue);
      }
      prosody.add(200f);
      prosody.add(0.9f);
      prosody.add(-20f);
    }
    return AudioFeatures.newBuilder()
        .setStreamId("s").setStartMs(startMs).setHopMs(10).setWindowMs(25).setSampleRateHz(16000)
        .setSpecId("audio.test@v1")
        .setLogmel(new Matrix(frames, 64, mel))
        .setProsody(new Matrix(frames, 3, prosody))
        .build();
  }
}
