package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.FramePool;
import ai.emadaptive.frame.Yuv420;
import ai.emadaptive.support.StreamingFixtures;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder keeps frames as YUV planes: the network's input is made from them, and BGR pixels only for frames that
 * get an overlay. The same frames decoded by FFmpeg straight to BGR must give the same overlay pixels, and an input
 * that matches the box average of FFmpeg's exact BT.601 conversion.
 */
class DecodedPlanesTest {
    private static final int W = 320, H = 180;

    @TempDir
    Path dir;

    @Test
    void planesConvertLikeFfmpegAndCutLikeItsBgr() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("c.mp4"), 0.5, W, H, 21);
        int size = 48;
        Preprocessor prep =
                new Preprocessor(Manifest.Input.rgbNhwc(size, new float[] {0, 0, 0}, new float[] {1, 1, 1}));
        byte[] yuv = new byte[Yuv420.length(W, H)], exact = new byte[W * H * 3], fast = new byte[W * H * 3];
        FrameBuffer buf = new FramePool(W, H, 1, prep.rowLength()).acquire();
        float[] input = new float[prep.rowLength()];
        int frames = 0;
        double worstInput = 0, inputAbs = 0, inputOver3 = 0, inputValues = 0, inputSigned = 0;
        try (FFmpegFrameGrabber planes = new FFmpegFrameGrabber(clip.toFile());
                FFmpegFrameGrabber fastBgr = new FFmpegFrameGrabber(clip.toFile());
                FFmpegFrameGrabber exactBgr = new FFmpegFrameGrabber(clip.toFile());
                BgrConverter converter = new BgrConverter()) {
            planes.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            fastBgr.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            exactBgr.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            // swscale's exact mode; its fast default rounds every channel down by about 0.8 of a level
            exactBgr.setImageScalingFlags(swscale.SWS_BILINEAR | swscale.SWS_ACCURATE_RND | swscale.SWS_FULL_CHR_H_INT);
            planes.start();
            fastBgr.start();
            exactBgr.start();
            Frame p, f, e;
            while ((p = planes.grabImage()) != null
                    && (f = fastBgr.grabImage()) != null
                    && (e = exactBgr.grabImage()) != null) {
                converter.convert((AVFrame) p.opaque, W, H, buf);
                packBgr(f, fast);
                assertArrayEquals(fast, buf.bgr(), "overlay pixels of frame " + frames + " as FFmpeg's BGR24");
                StreamDecoder.packI420(p, yuv, W, H);
                packBgr(e, exact);
                prep.fill(yuv, W, H, input);
                double[] d = boxDifferences(exact, input, size);
                worstInput = Math.max(worstInput, d[0]);
                inputAbs += d[1];
                inputOver3 += d[2];
                inputValues += d[3];
                inputSigned += d[4];
                frames++;
            }
        }
        assertEquals(15, frames, "every frame of the half-second clip");
        // The input averages the planes, then converts and clamps once: where compression pushed saturated pixels
        // (blood) out of the RGB gamut, FFmpeg clamps each pixel first, and single values differ by up to ~17 levels.
        double mean = inputAbs / inputValues, over3 = inputOver3 / inputValues, bias = inputSigned / inputValues;
        assertTrue(Math.abs(bias) < 0.1, "no colour bias against FFmpeg's exact conversion: " + bias);
        assertTrue(mean < 1.0, "mean input difference " + mean + " levels (worst " + worstInput + ")"); // 0.54 measured
        assertTrue(over3 < 0.05, "share of input values more than 3 levels apart: " + over3); // 2.3% measured
    }

    @Test
    void aFullRangeMjpegSourceComesThroughTheSamePlanes() throws Exception {
        // a USB camera's MJPEG: full-range YUV (yuvj420p), which FFmpeg rescales to the limited range the planes hold
        Path h264 = StreamingFixtures.clip(dir.resolve("c.mp4"), 0.3, W, H, 22);
        Path mjpeg = dir.resolve("camera.avi");
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(h264.toFile());
                FFmpegFrameRecorder out = new FFmpegFrameRecorder(mjpeg.toFile(), W, H, 0)) {
            in.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            in.start();
            out.setFormat("avi");
            out.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
            out.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
            out.setFrameRate(30);
            out.start();
            Frame f;
            while ((f = in.grabImage()) != null) out.record(f, avutil.AV_PIX_FMT_BGR24);
        }
        int size = 32;
        Preprocessor prep =
                new Preprocessor(Manifest.Input.rgbNhwc(size, new float[] {0, 0, 0}, new float[] {1, 1, 1}));
        byte[] yuv = new byte[Yuv420.length(W, H)], bgr = new byte[W * H * 3];
        float[] input = new float[prep.rowLength()];
        double abs = 0, values = 0;
        int frames = 0;
        try (FFmpegFrameGrabber planes = new FFmpegFrameGrabber(mjpeg.toFile());
                FFmpegFrameGrabber direct = new FFmpegFrameGrabber(mjpeg.toFile())) {
            planes.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            direct.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            direct.setImageScalingFlags(swscale.SWS_BILINEAR | swscale.SWS_ACCURATE_RND | swscale.SWS_FULL_CHR_H_INT);
            planes.start();
            direct.start();
            Frame p, d;
            while ((p = planes.grabImage()) != null && (d = direct.grabImage()) != null) {
                StreamDecoder.packI420(p, yuv, W, H);
                packBgr(d, bgr);
                prep.fill(yuv, W, H, input);
                double[] diff = boxDifferences(bgr, input, size);
                abs += diff[1];
                values += diff[3];
                frames++;
            }
        }
        assertEquals(9, frames);
        // 0.48 measured; a plane or range mix-up is tens of levels off
        assertTrue(abs / values < 1.5, "mean input difference from FFmpeg's BGR of the MJPEG frames: " + abs / values);
    }

    /**
     * Differences (0-255 levels) between the input and the centred-square box average of a BGR frame: the largest,
     * their sum, how many exceed 3, how many values there are, and the sum of the signed differences.
     */
    private static double[] boxDifferences(byte[] bgr, float[] input, int size) {
        int side = Math.min(W, H), left = (W - side) / 2, top = (H - side) / 2;
        double worst = 0, sum = 0, over = 0, signed = 0;
        for (int oy = 0; oy < size; oy++) {
            for (int ox = 0; ox < size; ox++) {
                int ya = top + oy * side / size, yb = top + (oy + 1) * side / size;
                int xa = left + ox * side / size, xb = left + (ox + 1) * side / size;
                for (int c = 0; c < 3; c++) {
                    long s = 0;
                    for (int y = ya; y < yb; y++)
                        for (int x = xa; x < xb; x++) s += bgr[(y * W + x) * 3 + 2 - c] & 0xff;
                    double mean = (double) s / ((yb - ya) * (xb - xa));
                    double diff = input[(oy * size + ox) * 3 + c] * 255 - mean, d = Math.abs(diff);
                    signed += diff;
                    worst = Math.max(worst, d);
                    sum += d;
                    if (d > 3) over++;
                }
            }
        }
        return new double[] {worst, sum, over, size * size * 3, signed};
    }

    private static void packBgr(Frame f, byte[] out) {
        ByteBuffer buf = (ByteBuffer) f.image[0];
        for (int y = 0; y < H; y++) {
            buf.position(y * f.imageStride);
            buf.get(out, y * W * 3, W * 3);
        }
        buf.position(0);
    }
}
