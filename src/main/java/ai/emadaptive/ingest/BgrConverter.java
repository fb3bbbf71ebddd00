package ai.emadaptive.ingest;

import ai.emadaptive.frame.FrameBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * FFmpeg's own conversion of a decoded YUV420P picture to packed BGR rows, for the frames that will carry an overlay
 * (watched, recorded, snapshot): swscale's SIMD code, several times faster than converting in Java. The network
 * never needs it; it reads the planes. One per decoder thread; native buffers are kept between frames.
 */
final class BgrConverter implements AutoCloseable {
    private final PointerPointer<BytePointer> dstPlanes = new PointerPointer<>(4);
    private final IntPointer dstStrides = new IntPointer(4);
    private final PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(4);
    private final IntPointer srcStrides = new IntPointer(4);
    private BytePointer packed; // a turned picture, packed in Java, copied back for swscale
    private int packedWidth = -1, packedHeight = -1;
    private static final int SIMD_SLACK = 256;
    private SwsContext context;
    private BytePointer dst;
    private int width = -1, height = -1;

    /** Writes {@code picture} ({@code width} x {@code height}, YUV420P) into {@code frame}'s BGR rows. */
    void convert(AVFrame picture, int width, int height, FrameBuffer frame) {
        if (width != this.width || height != this.height) resize(width, height);
        swscale.sws_scale(context, picture.data(), picture.linesize(), 0, height, dstPlanes, dstStrides);
        dst.position(0).get(frame.bgr(), 0, width * height * 3);
    }

    /** Writes a packed YUV420P picture ({@link ai.emadaptive.frame.Yuv420}'s layout) into {@code frame}'s BGR rows. */
    void convert(byte[] yuv, int width, int height, FrameBuffer frame) {
        if (width != this.width || height != this.height) resize(width, height);
        int cw = ai.emadaptive.frame.Yuv420.chromaWidth(width);
        if (packed == null || packed.capacity() < yuv.length || packedWidth != width || packedHeight != height) {
            // planes and strides set once per size, not per frame
            if (packed == null || packed.capacity() < yuv.length) {
                if (packed != null) packed.close();
                packed = new BytePointer(yuv.length);
            }
            srcPlanes.put(0, packed.getPointer(0));
            srcPlanes.put(1, packed.getPointer(ai.emadaptive.frame.Yuv420.uOffset(width, height)));
            srcPlanes.put(2, packed.getPointer(ai.emadaptive.frame.Yuv420.vOffset(width, height)));
            srcStrides.put(0, width).put(1, cw).put(2, cw);
            packedWidth = width;
            packedHeight = height;
        }
        packed.position(0).put(yuv, 0, yuv.length);
        swscale.sws_scale(context, srcPlanes, srcStrides, 0, height, dstPlanes, dstStrides);
        dst.position(0).get(frame.bgr(), 0, width * height * 3);
    }

    private void resize(int width, int height) {
        context = swscale.sws_getCachedContext(
                context,
                width,
                height,
                avutil.AV_PIX_FMT_YUV420P,
                width,
                height,
                avutil.AV_PIX_FMT_BGR24,
                swscale.SWS_BILINEAR,
                null,
                null,
                (DoublePointer) null);
        if (context == null)
            throw new IllegalStateException("swscale cannot convert " + width + "x" + height + " YUV420P to BGR24");
        if (dst != null) dst.close();
        // swscale's SIMD code writes whole vectors: a row whose width is not a multiple of them runs past its end (into
        // the next row, which is written after it, or, for the last row, past the buffer: a width of 120 corrupted the
        // heap)
        dst = new BytePointer((long) width * height * 3 + SIMD_SLACK);
        dstPlanes.put(0, dst);
        dstStrides.put(0, width * 3);
        this.width = width;
        this.height = height;
    }

    @Override
    public void close() {
        if (context != null) swscale.sws_freeContext(context);
        context = null;
        if (dst != null) dst.close();
        dst = null;
        dstPlanes.close();
        dstStrides.close();
        srcPlanes.close();
        srcStrides.close();
        if (packed != null) packed.close();
        packed = null;
    }
}
