package dev.mmstream.ingest.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Converts decoded pictures (the codec's own pixel format, e.g. YUV 4:2:0) to 8-bit BGR, the same way
 * JavaCV's grabber does (swscale, bilinear), but only for the frames that are sampled: at 5 of 25 fps
 * this skips four conversions in five. Owns the swscale context and the BGR Mat it fills; the Mat
 * returned by {@link #convert} is overwritten by the next call. Not thread-safe.
 *
 * <p>swscale's vector code writes whole blocks, so each row starts on a 64-byte boundary and the buffer
 * has a spare row (https://trac.ffmpeg.org/ticket/1031): a frame 426 pixels wide, 1,278 bytes per row,
 * otherwise has its last row overrun the buffer. The returned Mat is a view with that row stride.
 */
final class BgrConverter implements AutoCloseable {
  private static final int ALIGN = 64;

  private final Mat rows = new Mat();
  private Mat bgr = new Mat();
  private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
  private final IntPointer dstStride = new IntPointer(4);
  private SwsContext context;

  Mat convert(AVFrame picture) {
    int width = picture.width();
    int height = picture.height();
    if (width <= 0 || height <= 0 || picture.data(0) == null) {
      throw new InvalidSourceException("the decoder returned an empty video frame (" + width + "x" + height + ")");
    }
    if (bgr.cols() != width || bgr.rows() != height) {
      int stride = (width * 3 + ALIGN - 1) / ALIGN * ALIGN;
      rows.create(height + 1, stride, CV_8UC1);
      bgr.close();
      bgr = new Mat(height, width, CV_8UC3, rows.data(), stride);
    }
    context = sws_getCachedContext(context, width, height, picture.format(), width, height, AV_PIX_FMT_BGR24,
        SWS_BILINEAR, null, null, (DoublePointer) null);
    if (context == null) {
      throw new InvalidSourceException("cannot convert video frames of pixel format " + picture.format() + " to BGR");
    }
    dstData.put(0, bgr.data());
    dstStride.put(0, (int) bgr.step());
    sws_scale(context, picture.data(), picture.linesize(), 0, height, dstData, dstStride);
    return bgr;
  }

  @Override
  public void close() {
    if (context != null) {
      sws_freeContext(context);
      context = null;
    }
    bgr.close();
    rows.close();
    dstData.close();
    dstStride.close();
  }
}
