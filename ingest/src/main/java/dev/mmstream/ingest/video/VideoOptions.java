package dev.mmstream.ingest.video;

import java.util.Locale;

/**
 * Parameters of the video featurizer; every one that changes the features is part of {@link #specId()}.
 *
 * @param detector which BlazeFace model finds faces
 * @param minFaceScore BlazeFace detections below this score (0..1) are dropped
 * @param cropMargin side of the face square fed to the expression net, relative to the longer box side
 * @param cutThreshold histogram distance (0..1) above which a frame starts a new shot
 * @param intraOpThreads ONNX Runtime threads per session (not part of the spec: it changes speed only)
 */
public record VideoOptions(
    BlazeFaceVariant detector, float minFaceScore, float cropMargin, float cutThreshold, int intraOpThreads) {
  public static final String FEATURIZER = "video.face-scene";
  public static final String VERSION = "v1";
  public static final String FACE_API = "face-api-1.7.15";

  public VideoOptions {
    if (detector == null) {
      throw new IllegalArgumentException("detector must be set (blazeface-back256 or blazeface-front128)");
    }
    if (!(cropMargin >= 1 && cropMargin <= 3)) {
      throw new IllegalArgumentException("face crop margin must be in [1, 3], got " + cropMargin);
    }
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("ONNX Runtime threads must be >= 1, got " + intraOpThreads);
    }
  }

  /**
   * The back (256) model by default: on the six face-api sample photos (group shots, faces ~10% of the
   * frame width) it finds 3-5 faces per photo, best scores 0.84-0.94, where the front (128, selfie) model
   * finds 1-4 with best scores 0.65-0.94 (both at score >= 0.5). It costs ~4x the front model's time
   * (about 5 ms against 1 ms for the network alone on an idle core), small next to a 100-200 ms frame interval.
   */
  public static VideoOptions defaults() {
    return new VideoOptions(BlazeFaceVariant.BACK_256, 0.6f, 1.2f, 0.5f, 1);
  }

  public VideoOptions withDetector(BlazeFaceVariant variant) {
    return new VideoOptions(variant, minFaceScore, cropMargin, cutThreshold, intraOpThreads);
  }

  /** E.g. {@code video.face-scene@v1(detector=blazeface-back256,min_score=0.6,crop=1.2,expr=face-api-1.7.15,hist=h12s4v4,cut=0.5)}. */
  public String specId() {
    return String.format(Locale.ROOT, "%s@%s(detector=%s,min_score=%s,crop=%s,expr=%s,hist=%s,cut=%s)",
        FEATURIZER, VERSION, detector.specName(), minFaceScore, cropMargin, FACE_API, HsvHistogram.SPEC, cutThreshold);
  }
}
