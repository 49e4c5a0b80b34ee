package dev.mmstream.ingest.video;

import dev.mmstream.schema.v1.Task;
import java.util.Locale;

/**
 * Parameters of the video featurizer; every one that changes the features is part of {@link #specId()}.
 *
 * @param detector which BlazeFace model finds faces
 * @param minFaceScore BlazeFace detections below this score (0..1) are dropped
 * @param cropMargin side of the face square fed to the expression net, relative to the longer box side
 * @param cutThreshold histogram distance (0..1) above which a frame starts a new shot
 * @param detectEvery BlazeFace runs on every n-th sampled frame and on each shot cut; the frames in
 *     between reuse its faces (boxes, scores, count), while the expression net reads every frame's own
 *     pixels inside the reused box
 * @param intraOpThreads ONNX Runtime threads per session (not part of the spec: it changes speed only)
 */
public record VideoOptions(
    BlazeFaceVariant detector, float minFaceScore, float cropMargin, float cutThreshold, int detectEvery,
    int intraOpThreads) {
  public static final String FEATURIZER = "video.face-scene";
  /**
   * v2: BlazeFace's input and the scene statistics come from a {@link FramePyramid} of 2x2 area halvings
   * (the scene is measured on the first copy whose longer side is at most 256 pixels, e.g. 160x90 for
   * 640x360, where v1 resized straight to 256x144), at a sixth of v1's cost.
   */
  public static final String VERSION = "v2";
  public static final String FACE_API = "face-api-1.7.15";

  public VideoOptions {
    if (detector == null) {
      throw new IllegalArgumentException("detector must be set (blazeface-front128 or blazeface-back256)");
    }
    if (!(cropMargin >= 1 && cropMargin <= 3)) {
      throw new IllegalArgumentException("face crop margin must be in [1, 3], got " + cropMargin);
    }
    if (detectEvery < 1) {
      throw new IllegalArgumentException("BlazeFace must run at least every n-th frame for some n >= 1, got " + detectEvery);
    }
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("ONNX Runtime threads must be >= 1, got " + intraOpThreads);
    }
  }

  /**
   * The defaults for a task's streams. Emotion (5 sampled frames/s, the speaker's face is the subject):
   * the short-range front model, 128x128, about 1 ms per frame on one core, run on every 2nd frame; it
   * finds faces down to 9-14% of the frame width (the six face-api sample faces, shrunk on a 640x360
   * frame until lost). Genre (2 frames/s, trailers with wide and group shots): the full-range back model,
   * 256x256, about 5 ms, on every frame; it finds faces down to 2-7% of the width.
   */
  public static VideoOptions forTask(Task task) {
    return task == Task.GENRE
        ? new VideoOptions(BlazeFaceVariant.BACK_256, 0.6f, 1.2f, 0.5f, 1, 1)
        : new VideoOptions(BlazeFaceVariant.FRONT_128, 0.6f, 1.2f, 0.5f, 2, 1);
  }

  /** Video frames sampled per second by default: 5 for emotion windows, 2 for whole trailers. */
  public static double defaultFps(Task task) {
    return task == Task.GENRE ? 2.0 : 5.0;
  }

  /** Length of the scene histogram in every frame record (fixed by the spec id's {@code hist=}). */
  public int histogramBins() {
    return HsvHistogram.SIZE;
  }

  public VideoOptions withDetector(BlazeFaceVariant variant) {
    return new VideoOptions(variant, minFaceScore, cropMargin, cutThreshold, detectEvery, intraOpThreads);
  }

  /** E.g. {@code video.face-scene@v2(detector=blazeface-front128,detect_every=2,min_score=0.6,crop=1.2,expr=face-api-1.7.15,hist=h12s4v4,cut=0.5)}. */
  public String specId() {
    return String.format(Locale.ROOT, "%s@%s(detector=%s,detect_every=%d,min_score=%s,crop=%s,expr=%s,hist=%s,cut=%s)",
        FEATURIZER, VERSION, detector.specName(), detectEvery, minFaceScore, cropMargin, FACE_API, HsvHistogram.SPEC,
        cutThreshold);
  }
}
