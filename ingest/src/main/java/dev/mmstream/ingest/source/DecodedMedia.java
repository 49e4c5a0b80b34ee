package dev.mmstream.ingest.source;

import org.bytedeco.opencv.opencv_core.Mat;

/** Receives what the decoder produces, in decoding order. */
public interface DecodedMedia {
  /** A sampled video frame as BGR; the Mat is reused by the decoder after the call returns. */
  void video(Mat bgr, long ptsMs);

  /** Mono 16 kHz float PCM in [-1, 1]; the array is reused after the call returns. */
  void audio(float[] samples, int length, long ptsMs);
}
