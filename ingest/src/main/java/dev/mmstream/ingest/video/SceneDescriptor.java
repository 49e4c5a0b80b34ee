package dev.mmstream.ingest.video;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.mmstream.schema.FloatLists;
import dev.mmstream.schema.v1.Scene;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Whole-frame descriptor of consecutive sampled frames of one stream: {@link HsvHistogram h12s4v4}
 * histogram, brightness and contrast (mean and standard deviation of BT.601 luma, 0..1),
 * Hasler-Suesstrunk colourfulness on 0..1 RGB, motion energy (mean absolute luma difference to the
 * previous sampled frame on a 64-pixel-wide grey copy, 0..1) and a shot-cut flag (histogram distance to
 * the previous sampled frame above the threshold). The first frame has motion 0 and no cut.
 *
 * <p>Statistics are taken on the image it is given: the video featurizer gives it the {@link
 * FramePyramid#analysis() analysis copy} (longer side at most 256 pixels), which keeps the cost flat for
 * HD input. Stateful (it keeps the previous frame's grey copy and histogram): one instance per stream,
 * not thread-safe. It never keeps a reference to the caller's Mat.
 */
public final class SceneDescriptor implements AutoCloseable {
  static final int MOTION_WIDTH = 64;

  private final float cutThreshold;
  private final Mat hsv = new Mat();
  private final Mat unpadded = new Mat();
  private final Mat grey = new Mat();
  private final Mat motionGrey = new Mat();
  private final Mat previousGrey = new Mat();
  private final Mat difference = new Mat();
  private final Mat meanMat = new Mat();
  private final Mat stdMat = new Mat();
  private float[] previousHistogram;
  private byte[] bgrBytes = new byte[0];
  private byte[] hsvBytes = new byte[0];

  /** @param cutThreshold histogram distance (0..1) above which a frame starts a new shot */
  public SceneDescriptor(float cutThreshold) {
    if (!(cutThreshold > 0 && cutThreshold < 1)) {
      throw new IllegalArgumentException("shot-cut threshold must be in (0, 1), got " + cutThreshold);
    }
    this.cutThreshold = cutThreshold;
  }

  /** @param small the frame, ideally its analysis copy; read during the call only */
  public Scene describe(Mat small) {
    FramePixels.requireBgr(small, "scene input");
    int w = small.cols();
    int h = small.rows();
    cvtColor(small, hsv, COLOR_BGR2HSV);
    cvtColor(small, grey, COLOR_BGR2GRAY);
    int pixels = w * h;
    bgrBytes = bytes(small.isContinuous() ? small : contiguous(small), bgrBytes, pixels * 3);
    hsvBytes = bytes(hsv, hsvBytes, pixels * 3);

    float[] histogram = HsvHistogram.of(hsvBytes, pixels);
    meanStdDev(grey, meanMat, stdMat);
    float brightness = (float) (firstValue(meanMat) / 255);
    float contrast = (float) (firstValue(stdMat) / 255);
    boolean cut = previousHistogram != null && HsvHistogram.distance(previousHistogram, histogram) > cutThreshold;
    previousHistogram = histogram;

    return Scene.newBuilder()
        .setHistogram(FloatLists.of(histogram))
        .setBrightness(brightness)
        .setContrast(contrast)
        .setColourfulness(colourfulness(bgrBytes, pixels))
        .setMotion(motion(w))
        .setShotCut(cut)
        .build();
  }

  private float motion(int width) {
    int mh = Math.max(1, Math.round((float) grey.rows() * MOTION_WIDTH / width));
    resize(grey, motionGrey, new Size(Math.min(MOTION_WIDTH, width), Math.min(mh, grey.rows())), 0, 0, INTER_AREA);
    float energy = 0;
    if (!previousGrey.empty() && previousGrey.cols() == motionGrey.cols() && previousGrey.rows() == motionGrey.rows()) {
      absdiff(motionGrey, previousGrey, difference);
      try (Scalar m = mean(difference)) {
        energy = (float) (m.get(0) / 255);
      }
    }
    motionGrey.copyTo(previousGrey);
    return energy;
  }

  /**
   * Hasler and Suesstrunk (2003): sqrt(var_rg + var_yb) + 0.3 sqrt(mean_rg^2 + mean_yb^2), RGB in 0..1.
   * Summed in integers (rg = r - g, 2 yb = r + g - 2b on 0..255), exactly, then scaled once.
   */
  static float colourfulness(byte[] bgr, int pixels) {
    long sumRg = 0;
    long sumYb2 = 0;
    long sqRg = 0;
    long sqYb2 = 0;
    for (int o = 0, end = pixels * 3; o < end; o += 3) {
      int b = bgr[o] & 0xFF;
      int g = bgr[o + 1] & 0xFF;
      int r = bgr[o + 2] & 0xFF;
      int rg = r - g;
      int yb2 = r + g - 2 * b;
      sumRg += rg;
      sumYb2 += yb2;
      sqRg += rg * rg;
      sqYb2 += yb2 * yb2;
    }
    double meanRg = sumRg / (255.0 * pixels);
    double meanYb = sumYb2 / (510.0 * pixels);
    double varRg = Math.max(0, sqRg / (255.0 * 255.0 * pixels) - meanRg * meanRg);
    double varYb = Math.max(0, sqYb2 / (510.0 * 510.0 * pixels) - meanYb * meanYb);
    return (float) (Math.sqrt(varRg + varYb) + 0.3 * Math.sqrt(meanRg * meanRg + meanYb * meanYb));
  }

  private static double firstValue(Mat doubles) {
    try (DoubleIndexer indexer = doubles.createIndexer()) {
      return indexer.get(0);
    }
  }

  /** A copy without row padding (a decoder's frame may have some), to read as one run of bytes. */
  private Mat contiguous(Mat padded) {
    padded.copyTo(unpadded);
    return unpadded;
  }

  private static byte[] bytes(Mat continuous, byte[] reuse, int length) {
    byte[] out = reuse.length == length ? reuse : new byte[length];
    ((ByteBuffer) continuous.createBuffer()).get(out, 0, length);
    return out;
  }

  @Override
  public void close() {
    unpadded.close();
    hsv.close();
    grey.close();
    motionGrey.close();
    previousGrey.close();
    difference.close();
    meanMat.close();
    stdMat.close();
  }
}
