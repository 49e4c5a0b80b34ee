package dev.mmstream.ingest.video;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns BlazeFace's raw outputs into detections: sigmoid scores, anchor decoding and weighted
 * non-maximum suppression (overlapping boxes are blended by score, as MediaPipe and keijiro's
 * BlazeFaceBarracuda do, which steadies boxes from frame to frame more than plain NMS).
 *
 * <p>Layout (both model variants): layer 1 is a 16x16 grid with 2 anchors per cell, layer 2 an 8x8 grid
 * with 6; anchors are cell centres with unit size; each anchor has 16 regressors: centre offset x, y,
 * width, height, then 6 keypoints (x, y), all in input pixels. Output coordinates are fractions of the
 * square input, y down.
 */
final class BlazeFaceDecoder {
  static final int VALUES_PER_ANCHOR = 16;
  static final int KEYPOINTS = 6;
  static final float IOU_THRESHOLD = 0.3f;
  private static final float MAX_LOGIT = 100f; // clamp, as MediaPipe does, so exp() never overflows

  private final int inputSize;

  BlazeFaceDecoder(int inputSize) {
    this.inputSize = inputSize;
  }

  /** One output layer of the network: raw score logits and regressors for a grid of anchors. */
  record Layer(int cells, int anchorsPerCell, float[] logits, float[] regressors) {
    Layer {
      int anchors = cells * cells * anchorsPerCell;
      if (logits.length != anchors || regressors.length != anchors * VALUES_PER_ANCHOR) {
        throw new IllegalArgumentException("layer " + cells + "x" + cells + "x" + anchorsPerCell + " expects "
            + anchors + " scores and " + anchors * VALUES_PER_ANCHOR + " regressors, got "
            + logits.length + " and " + regressors.length);
      }
    }
  }

  /** Detections above {@code minScore}, after weighted NMS, best first, in square-input fractions. */
  List<FaceDetection> decode(List<Layer> layers, float minScore) {
    List<FaceDetection> candidates = new ArrayList<>();
    for (Layer layer : layers) {
      collect(layer, minScore, candidates);
    }
    candidates.sort(Comparator.comparingDouble(FaceDetection::score).reversed());
    return weightedNms(candidates);
  }

  private void collect(Layer layer, float minScore, List<FaceDetection> out) {
    float scale = 1f / inputSize;
    int anchor = 0;
    for (int cy = 0; cy < layer.cells(); cy++) {
      for (int cx = 0; cx < layer.cells(); cx++) {
        float ax = (cx + 0.5f) / layer.cells();
        float ay = (cy + 0.5f) / layer.cells();
        for (int a = 0; a < layer.anchorsPerCell(); a++, anchor++) {
          float logit = Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, layer.logits()[anchor]));
          float score = (float) (1 / (1 + Math.exp(-logit)));
          float[] r = layer.regressors();
          int o = anchor * VALUES_PER_ANCHOR;
          if (!(score >= minScore && r[o + 2] > 0 && r[o + 3] > 0)) {
            continue; // also drops NaN scores and degenerate boxes
          }
          Box box = Box.centred(ax + r[o] * scale, ay + r[o + 1] * scale, r[o + 2] * scale, r[o + 3] * scale);
          List<FaceDetection.Keypoint> keypoints = new ArrayList<>(KEYPOINTS);
          for (int k = 0; k < KEYPOINTS; k++) {
            keypoints.add(new FaceDetection.Keypoint(ax + r[o + 4 + 2 * k] * scale, ay + r[o + 5 + 2 * k] * scale));
          }
          out.add(new FaceDetection(box, score, keypoints));
        }
      }
    }
  }

  /** Candidates sorted best first; each kept detection is the score-weighted mean of its overlap group. */
  private static List<FaceDetection> weightedNms(List<FaceDetection> sorted) {
    List<FaceDetection> kept = new ArrayList<>();
    boolean[] used = new boolean[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      if (used[i]) {
        continue;
      }
      FaceDetection best = sorted.get(i);
      List<FaceDetection> group = new ArrayList<>();
      for (int j = i; j < sorted.size(); j++) {
        if (!used[j] && best.box().iou(sorted.get(j).box()) >= IOU_THRESHOLD) {
          used[j] = true;
          group.add(sorted.get(j));
        }
      }
      kept.add(blend(group, best.score()));
    }
    return kept;
  }

  private static FaceDetection blend(List<FaceDetection> group, float score) {
    float total = 0;
    float[] acc = new float[4 + 2 * KEYPOINTS];
    for (FaceDetection d : group) {
      float w = d.score();
      total += w;
      acc[0] += w * d.box().centreX();
      acc[1] += w * d.box().centreY();
      acc[2] += w * d.box().width();
      acc[3] += w * d.box().height();
      for (int k = 0; k < KEYPOINTS; k++) {
        acc[4 + 2 * k] += w * d.keypoints().get(k).x();
        acc[5 + 2 * k] += w * d.keypoints().get(k).y();
      }
    }
    List<FaceDetection.Keypoint> keypoints = new ArrayList<>(KEYPOINTS);
    for (int k = 0; k < KEYPOINTS; k++) {
      keypoints.add(new FaceDetection.Keypoint(acc[4 + 2 * k] / total, acc[5 + 2 * k] / total));
    }
    Box box = Box.centred(acc[0] / total, acc[1] / total, acc[2] / total, acc[3] / total);
    return new FaceDetection(box, score, keypoints);
  }
}
