package ai.emadaptive.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.FramePool;
import ai.emadaptive.frame.Yuv420;
import ai.emadaptive.ingest.Preprocessor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PreprocessorTest {
    private static final float[] ZERO = {0, 0, 0}, ONE = {1, 1, 1};

    @Test
    void centreCropAreaAverageRgbNormalised() {
        // 8x4 grey frame (no chroma), luma a ramp in x and y; the centre 4x4 square is columns 2..5; output 2x2
        // averages 2x2 blocks
        int w = 8, h = 4;
        FramePool pool = new FramePool(w, h, 1, 2 * 2 * 3);
        FrameBuffer f = pool.acquire();
        java.util.Arrays.fill(f.yuv, (byte) 128);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) f.yuv[y * w + x] = (byte) (16 + 10 * x + 20 * y);
        float[] mean = {0.5f, 0.25f, 0.1f}, std = {0.5f, 0.25f, 0.2f};
        Preprocessor pre = new Preprocessor(Manifest.Input.rgbNhwc(2, mean, std));
        assertEquals(f.input.length, pre.rowLength());
        pre.write(f);
        INDArray input = Nd4j.zeros(DataType.FLOAT, 3, 2, 2, 3);
        new BatchInput().write(f.input, input, 1);
        for (int oy = 0; oy < 2; oy++) {
            for (int ox = 0; ox < 2; ox++) {
                double luma = 10 * (2 + 2 * ox + 0.5) + 20 * (2 * oy + 0.5);
                double grey = luma * 255 / 219 / 255; // limited-range luma: 16 is black, 235 white
                for (int c = 0; c < 3; c++)
                    assertEquals((grey - mean[c]) / std[c], input.getDouble(1, oy, ox, c), 1e-5);
            }
        }
        assertEquals(
                0,
                input.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                        .sumNumber()
                        .doubleValue(),
                "other rows untouched");
        assertEquals(
                0,
                input.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2))
                        .sumNumber()
                        .doubleValue());
    }

    @Test
    void limitedRangeBt601Colours() {
        // black, white, grey, and BT.601's red, green and blue as YUV, each a uniform 2x2 frame, to R, G, B
        int[][] yuvToRgb = {
            {16, 128, 128, 0, 0, 0}, {235, 128, 128, 255, 255, 255}, {126, 128, 128, 128, 128, 128},
            {81, 90, 240, 255, 0, 0}, {145, 54, 34, 0, 255, 0}, {41, 240, 110, 0, 0, 255}
        };
        Preprocessor pre = new Preprocessor(Manifest.Input.rgbNhwc(1, ZERO, ONE));
        for (int[] c : yuvToRgb) {
            byte[] yuv = {(byte) c[0], (byte) c[0], (byte) c[0], (byte) c[0], (byte) c[1], (byte) c[2]};
            float[] out = new float[3];
            pre.fill(yuv, 2, 2, out);
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(
                        c[3 + ch], out[ch] * 255, 2.0, "Y " + c[0] + " U " + c[1] + " V " + c[2] + " channel " + ch);
            }
        }
    }

    @Test
    void oddSizesAndUpscalingAverageWhatEachPixelWouldConvertTo() {
        // boxes that start and end at odd columns and rows split chroma samples; upscaling repeats pixels; the whole
        // frame squeezed to the square uses other box widths across than down
        for (String fit :
                new String[] {Manifest.Input.CENTRE_SQUARE, Manifest.Input.WHOLE_FRAME, Manifest.Input.LETTERBOX}) {
            for (int[] c : new int[][] {
                {9, 7, 4},
                {9, 7, 3},
                {13, 11, 5},
                {5, 3, 8},
                {4, 6, 6},
                {854 / 61 * 2, 480 / 61 * 2, 5},
                {61, 33, 16},
                {101, 57, 9}
            }) {
                int w = c[0], h = c[1], size = c[2];
                byte[] yuv = new byte[Yuv420.length(w, h)];
                Random rnd = new Random(w * 31 + size);
                for (int i = 0; i < yuv.length; i++)
                    yuv[i] = (byte) (i < w * h ? 60 + rnd.nextInt(120) : 100 + rnd.nextInt(56));
                float[] out = new float[size * size * 3];
                new Preprocessor(Manifest.Input.rgbNhwc(size, ZERO, ONE).withFit(fit)).fill(yuv, w, h, out);
                double[][] rgb = perPixel(yuv, w, h);
                // the region read and the output pixels it fills; a letterbox keeps the aspect ratio, black around it
                boolean square = fit.equals(Manifest.Input.CENTRE_SQUARE), box = fit.equals(Manifest.Input.LETTERBOX);
                int side = Math.min(w, h), sideX = square ? side : w, sideY = square ? side : h;
                int left = (w - sideX) / 2, top = (h - sideY) / 2;
                int cols = box ? Math.round((float) w * size / Math.max(w, h)) : size;
                int rows = box ? Math.round((float) h * size / Math.max(w, h)) : size;
                int padX = (size - cols) / 2, padY = (size - rows) / 2;
                for (int oy = 0; oy < size; oy++) {
                    for (int ox = 0; ox < size; ox++) {
                        int iy = oy - padY, ix = ox - padX;
                        boolean inside = iy >= 0 && iy < rows && ix >= 0 && ix < cols;
                        int ya = iy * sideY / rows, yb = Math.max(ya + 1, (iy + 1) * sideY / rows);
                        int xa = ix * sideX / cols, xb = Math.max(xa + 1, (ix + 1) * sideX / cols);
                        for (int ch = 0; ch < 3; ch++) {
                            double expected = 0;
                            if (inside) {
                                double s = 0;
                                for (int y = ya; y < yb; y++)
                                    for (int x = xa; x < xb; x++) s += rgb[(top + y) * w + left + x][ch];
                                expected = Math.max(0, Math.min(255, s / ((yb - ya) * (xb - xa))));
                            }
                            assertEquals(
                                    expected,
                                    out[(oy * size + ox) * 3 + ch] * 255,
                                    2e-3,
                                    fit + " " + w + "x" + h + " -> " + size + ", pixel " + ox + "," + oy + " channel "
                                            + ch);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aFrameAllocatesNothingOnceItsTablesExist() {
        // the decoder thread calls this for every frame: both ways of summing (two taps at 480 lines to 64 px; long
        // lanes and prefix sums at HD to 16 px; a letterbox's bars)
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int[] c : new int[][] {{854, 480, 64, 0}, {1920, 1080, 16, 0}, {854, 480, 224, 1}}) {
            int w = c[0], h = c[1];
            byte[] yuv = new byte[Yuv420.length(w, h)];
            new Random(3).nextBytes(yuv);
            Preprocessor pre = new Preprocessor(
                    Manifest.Input.rgbNhwc(c[2], ZERO, ONE).withFit(c[3] == 1 ? Manifest.Input.LETTERBOX : null));
            float[] out = new float[pre.rowLength()];
            for (int i = 0; i < 50; i++) pre.fill(yuv, w, h, out);
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) pre.fill(yuv, w, h, out);
            assertEquals(
                    0,
                    threads.getCurrentThreadAllocatedBytes() - before,
                    w + "x" + h + ": bytes allocated by 50 frames");
        }
    }

    /** Each pixel's RGB by the BT.601 formula, unrounded and unclamped, its chroma the sample at (x / 2, y / 2). */
    private static double[][] perPixel(byte[] yuv, int w, int h) {
        int cw = Yuv420.chromaWidth(w);
        double[][] rgb = new double[w * h][];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int ci = (y / 2) * cw + x / 2;
                double l = 255.0 / 219 * ((yuv[y * w + x] & 0xff) - 16);
                double u = (yuv[Yuv420.uOffset(w, h) + ci] & 0xff) - 128,
                        v = (yuv[Yuv420.vOffset(w, h) + ci] & 0xff) - 128;
                rgb[y * w + x] = new double[] {l + 1.596 * v, l - 0.3918 * u - 0.813 * v, l + 2.0172 * u};
            }
        }
        return rgb;
    }
}
