package dev.mmstream.ingest.video;

import java.util.List;

/**
 * One face found by BlazeFace, in fractions of the frame it was found in.
 *
 * @param box the face box (not clipped: a face cut by the frame edge may reach outside 0..1)
 * @param score detection confidence, 0..1
 * @param keypoints six points in BlazeFace order: right eye, left eye, nose tip, mouth, right ear, left ear
 *     (the subject's right and left)
 */
public record FaceDetection(Box box, float score, List<Keypoint> keypoints) {

  public FaceDetection {
    keypoints = List.copyOf(keypoints);
  }

  /** A point in fractions of the frame. */
  public record Keypoint(float x, float y) {}
}
