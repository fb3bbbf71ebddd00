package ai.emadaptive.ingest;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.Yuv420;

/**
 * Turns a full-resolution YUV 4:2:0 frame ({@link Yuv420}) into one row of the network's input: the centred square
 * crop (the scope's field of view sits in the middle of a wide frame), or the whole frame for a model that asks for it
 * ({@link Manifest.Input#wholeFrame()}: instruments enter from the edges), area-averaged down to the model's input size
 * (as the training images were rendered at that size, a box filter matches them better than point sampling), RGB
 * order, scaled to [0, 1] and normalised with the model's per-channel mean and std. It averages the planes and
 * converts each output pixel's mean to RGB: the BT.601 conversion is affine, so that is the mean of the RGB pixels
 * FFmpeg would have made (up to their clamping at 0 and 255), without converting the full frame. Index tables are
 * built once per resolution, so a frame allocates nothing. Runs on each stream's decoder thread, so the streams'
 * frames are prepared in parallel and the one inference worker only copies rows. Not thread-safe: one per decoder.
 */
public final class Preprocessor {
    private final int size;
    private final boolean wholeFrame;
    private final float[] scale = new float[3];
    private final float[] shift = new float[3];
    /** The current output pixel's mean R, G, B (0-255). */
    private final float[] rgb = new float[3];

    private final int[] sumY, sumU, sumV;
    private int forWidth = -1, forHeight = -1;
    /** Each output pixel's luma box: columns x0..x1-1, rows y0..y1-1 of the frame. */
    private int[] x0, x1, y0, y1;

    private float[] inverseWidth, inverseHeight;
    /** The chroma columns the crop reads, and one band's weighted chroma rows over them with their prefix sums. */
    private int cFirst, cLast;

    private int[] rowU, rowV, prefixU, prefixV;
    /** One band's luma rows summed per column of the crop, and their prefix sums. */
    private int[] columnY, prefixY;

    public Preprocessor(Manifest.Input input) {
        this.size = input.size();
        this.wholeFrame = input.wholeFrame();
        this.sumY = new int[size];
        this.sumU = new int[size];
        this.sumV = new int[size];
        float[] mean = input.mean(), std = input.std();
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
    }

    public int size() {
        return size;
    }

    /** Floats in one input row. */
    public int rowLength() {
        return size * size * 3;
    }

    /** Writes the frame's input row ({@link FrameBuffer#input}) from its planes ({@link FrameBuffer#yuv}). */
    public void write(FrameBuffer frame) {
        fill(frame.yuv, frame.width, frame.height, frame.input);
    }

    /** The normalised RGB crop of a packed I420 frame into {@code out} [size*size*3], HWC. */
    public void fill(byte[] yuv, int width, int height, float[] out) {
        if (width != forWidth || height != forHeight) tables(width, height);
        int o = 0;
        for (int oy = 0; oy < size; oy++) {
            means(yuv, width, height, oy);
            for (int ox = 0; ox < size; ox++) {
                toRgb(ox, oy);
                for (int c = 0; c < 3; c++) out[o++] = rgb[c] * scale[c] + shift[c];
            }
        }
    }

    /**
     * The same crop as RGB bytes [size*size*3], HWC, each mean rounded to 8 bits as an image file stores it: how
     * labelled clip frames become a data set that evaluates what the service sees.
     */
    public void fillRgb(byte[] yuv, int width, int height, byte[] out, int offset) {
        if (width != forWidth || height != forHeight) tables(width, height);
        int o = offset;
        for (int oy = 0; oy < size; oy++) {
            means(yuv, width, height, oy);
            for (int ox = 0; ox < size; ox++) {
                toRgb(ox, oy);
                for (int c = 0; c < 3; c++) out[o++] = (byte) Math.round(rgb[c]);
            }
        }
    }

    /**
     * Sums output row {@code oy}'s boxes into {@link #sumY}, {@link #sumU}, {@link #sumV}: luma over each box; chroma
     * as if upsampled to luma by repeating each sample (nearest chroma), from prefix sums over the band's chroma rows,
     * each row weighted by how many luma rows use it.
     */
    private void means(byte[] yuv, int width, int height, int oy) {
        // luma: the band's rows summed per column (a loop the JIT vectorises), then boxes by prefix sums
        int from = x0[0], n0 = x1[size - 1] - from;
        java.util.Arrays.fill(columnY, 0, n0, 0);
        for (int y = y0[oy]; y < y1[oy]; y++) {
            for (int i = 0, p = y * width + from; i < n0; i++) columnY[i] += yuv[p + i] & 0xff;
        }
        for (int i = 0; i < n0; i++) prefixY[i + 1] = prefixY[i] + columnY[i];
        for (int ox = 0; ox < size; ox++) sumY[ox] = prefixY[x1[ox] - from] - prefixY[x0[ox] - from];
        int cw = Yuv420.chromaWidth(width), u0 = Yuv420.uOffset(width, height), v0 = Yuv420.vOffset(width, height);
        int n = cLast - cFirst + 1;
        java.util.Arrays.fill(rowU, 0, n, 0);
        java.util.Arrays.fill(rowV, 0, n, 0);
        for (int cy = y0[oy] >> 1, last = (y1[oy] - 1) >> 1; cy <= last; cy++) {
            int wy = Math.min(y1[oy], 2 * cy + 2) - Math.max(y0[oy], 2 * cy);
            // one plane per loop: each is then a simple widening multiply-add the JIT vectorises
            for (int i = 0, pu = u0 + cy * cw + cFirst; i < n; i++) rowU[i] += wy * (yuv[pu + i] & 0xff);
            for (int i = 0, pv = v0 + cy * cw + cFirst; i < n; i++) rowV[i] += wy * (yuv[pv + i] & 0xff);
        }
        for (int i = 0; i < n; i++) prefixU[i + 1] = prefixU[i] + rowU[i];
        for (int i = 0; i < n; i++) prefixV[i + 1] = prefixV[i] + rowV[i];
        for (int ox = 0; ox < size; ox++) {
            sumU[ox] = upTo(prefixU, rowU, x1[ox]) - upTo(prefixU, rowU, x0[ox]);
            sumV[ox] = upTo(prefixV, rowV, x1[ox]) - upTo(prefixV, rowV, x0[ox]);
        }
    }

    /** Sum of the chroma row repeated to luma resolution, over luma columns 2 * cFirst .. x - 1. */
    private int upTo(int[] prefix, int[] row, int x) {
        int c = (x >> 1) - cFirst;
        return 2 * prefix[c] + ((x & 1) == 0 ? 0 : row[c]);
    }

    /** Sets {@link #rgb} from output pixel (ox, oy)'s sums: the BT.601 conversion of its mean Y, U, V. */
    private void toRgb(int ox, int oy) {
        float inv = inverseWidth[ox] * inverseHeight[oy];
        float l = Yuv420.CY * (sumY[ox] * inv - 16), u = sumU[ox] * inv - 128, v = sumV[ox] * inv - 128;
        rgb[0] = clamp(l + Yuv420.CRV * v);
        rgb[1] = clamp(l - Yuv420.CGU * u - Yuv420.CGV * v);
        rgb[2] = clamp(l + Yuv420.CBU * u);
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : v > 255f ? 255f : v;
    }

    /** Output pixel i's source range [from[i], to[i]) along one axis of {@code side} pixels from {@code start}. */
    private void boxes(int start, int side, int[] from, int[] to) {
        for (int i = 0; i < size; i++) {
            int a = (int) ((long) i * side / size), b = (int) ((long) (i + 1) * side / size);
            if (b <= a) b = a + 1; // upscaling: at least one source pixel
            from[i] = start + a;
            to[i] = start + Math.min(b, side);
        }
    }

    private void tables(int width, int height) {
        int side = Math.min(width, height);
        int sideX = wholeFrame ? width : side, sideY = wholeFrame ? height : side;
        x0 = new int[size];
        x1 = new int[size];
        y0 = new int[size];
        y1 = new int[size];
        boxes((width - sideX) / 2, sideX, x0, x1);
        boxes((height - sideY) / 2, sideY, y0, y1);
        inverseWidth = new float[size];
        inverseHeight = new float[size];
        for (int i = 0; i < size; i++) {
            inverseWidth[i] = 1f / (x1[i] - x0[i]);
            inverseHeight[i] = 1f / (y1[i] - y0[i]);
        }
        columnY = new int[x1[size - 1] - x0[0]];
        prefixY = new int[columnY.length + 1];
        cFirst = x0[0] >> 1;
        cLast = (x1[size - 1] - 1) >> 1;
        int n = cLast - cFirst + 2;
        rowU = new int[n];
        rowV = new int[n];
        prefixU = new int[n];
        prefixV = new int[n];
        forWidth = width;
        forHeight = height;
    }
}
