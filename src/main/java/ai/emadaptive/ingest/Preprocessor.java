package ai.emadaptive.ingest;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.Yuv420;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Turns a full-resolution YUV 4:2:0 frame ({@link Yuv420}) into one row of the network's input: the centred square
 * crop (the scope's field of view sits in the middle of a wide frame), or the whole frame for a model that asks for it
 * (squeezed or letterboxed, {@link FrameFit}: instruments enter from the edges), area-averaged down to the model's input size
 * (as the training images were rendered at that size, a box filter matches them better than point sampling), RGB
 * order, scaled to [0, 1] and normalised with the model's per-channel mean and std. It averages the planes and
 * converts each output pixel's mean to RGB: the BT.601 conversion is affine, so that is the mean of the RGB pixels
 * FFmpeg would have made (up to their clamping at 0 and 255), without converting the full frame. Index tables are
 * built once per resolution, so a frame allocates nothing. The loops are shaped for what C2 (JDK 17) vectorises: one
 * output array per float loop. It does not vectorise widening bytes, so at HD, where summing a band's rows is most of
 * the work, they are summed eight columns at a time in 16-bit lanes of longs. Runs on each stream's decoder thread,
 * so the streams' frames are prepared in parallel and the one inference worker only copies rows. Not thread-safe:
 * one per decoder.
 */
public final class Preprocessor {
    private static final float[] ZERO = {0, 0, 0}, ONE = {1, 1, 1};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The even bytes of a long, each in a 16-bit lane; a lane holds up to 257 rows of 255 without carrying over. */
    private static final long LANES = 0x00FF00FF00FF00FFL;

    private static final int MAX_LANE_ROWS = 257;

    private final int size;
    private final Manifest.Input input;
    private final float[] scale = new float[3];
    /** Also normalised black: the bars around a letterboxed frame. */
    private final float[] shift = new float[3];

    /** The current output row: box sums as floats, then mean Y', U', V', then R, G, B (scaled and shifted). */
    private final float[] sumY, sumU, sumV, red, green, blue;

    private int forWidth = -1, forHeight = -1;
    /** The output pixels the frame fills: columns left..left+cols-1, rows top..top+rows-1 (all of them but a letterbox's). */
    private int left, top, cols, rows;
    /** Each filled output pixel's luma box: columns x0..x1-1, rows y0..y1-1 of the frame. */
    private int[] x0, x1, y0, y1;

    private float[] inverseWidth, inverseHeight;
    /** The first luma column and the chroma columns the crop reads. */
    private int from, cFirst, cLast;
    /** One band's luma rows summed per column of the crop, and their prefix sums. */
    private int[] columnY, prefixY;
    /** One band's weighted chroma rows over the crop's chroma columns, U and V, then packed (V in the high half). */
    private int[] rowU, rowV;

    private long[] rowUV, prefixUV;
    /**
     * Boxes at most two luma columns wide (downscaling by up to 2x, e.g. 480 lines to 256) are summed from two taps:
     * luma columns {@code tapY0}, {@code tapY1} (weight {@code weightY1}, 0 or 1), chroma columns {@code tapC0},
     * {@code tapC1} with weights 0-2 (how many of the box's columns use each). Wider boxes use prefix sums.
     */
    private boolean twoTaps;

    private int[] tapY0, tapY1, weightY1, tapC0, tapC1, weightC0, weightC1;
    /** Lane sums of a band's rows: even and odd columns of each 8-column word; false when a band is too tall. */
    private boolean lanes;

    private long[] even, odd;

    public Preprocessor(Manifest.Input input) {
        this.size = input.size();
        this.input = input;
        sumY = new float[size];
        sumU = new float[size];
        sumV = new float[size];
        red = new float[size];
        green = new float[size];
        blue = new float[size];
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
        if (rows < size || cols < size) {
            fillBetweenBars(yuv, width, height, out);
            return;
        }
        // no bars: the loop stays as small as C2 compiles it best (a bar check per row cost 3% at 256 px)
        float[] r = red, g = green, b = blue;
        int n = size;
        for (int oy = 0, o = 0; oy < n; oy++) {
            sums(yuv, width, height, oy);
            toRgb(oy, scale, shift);
            for (int ox = 0; ox < n; ox++, o += 3) {
                out[o] = r[ox];
                out[o + 1] = g[ox];
                out[o + 2] = b[ox];
            }
        }
    }

    /** {@link #fill} for a letterbox: the frame's rows and columns between black bars. */
    private void fillBetweenBars(byte[] yuv, int width, int height, float[] out) {
        float[] r = red, g = green, b = blue;
        int n = size, m = cols, c0 = left, r0 = top, r1 = top + rows;
        for (int oy = 0, o = 0; oy < n; oy++) {
            if (oy < r0 || oy >= r1) {
                o = black(out, o, n);
                continue;
            }
            sums(yuv, width, height, oy - r0);
            toRgb(oy - r0, scale, shift);
            o = black(out, o, c0);
            for (int ox = 0; ox < m; ox++, o += 3) {
                out[o] = r[ox];
                out[o + 1] = g[ox];
                out[o + 2] = b[ox];
            }
            o = black(out, o, n - c0 - m);
        }
    }

    /** Writes {@code pixels} normalised black pixels from {@code o}; returns the index after them. */
    private int black(float[] out, int o, int pixels) {
        float k0 = shift[0], k1 = shift[1], k2 = shift[2];
        for (int i = 0; i < pixels; i++, o += 3) {
            out[o] = k0;
            out[o + 1] = k1;
            out[o + 2] = k2;
        }
        return o;
    }

    /**
     * The same crop as RGB bytes [size*size*3], HWC, each mean rounded to 8 bits as an image file stores it: how
     * labelled clip frames become a data set that evaluates what the service sees.
     */
    public void fillRgb(byte[] yuv, int width, int height, byte[] out, int offset) {
        if (width != forWidth || height != forHeight) tables(width, height);
        for (int oy = 0, o = offset; oy < size; oy++, o += 3 * size) {
            if (oy < top || oy >= top + rows) {
                java.util.Arrays.fill(out, o, o + 3 * size, (byte) 0);
                continue;
            }
            sums(yuv, width, height, oy - top);
            toRgb(oy - top, ONE, ZERO);
            java.util.Arrays.fill(out, o, o + 3 * left, (byte) 0);
            for (int ox = 0, p = o + 3 * left; ox < cols; ox++, p += 3) {
                out[p] = (byte) Math.round(red[ox]);
                out[p + 1] = (byte) Math.round(green[ox]);
                out[p + 2] = (byte) Math.round(blue[ox]);
            }
            java.util.Arrays.fill(out, o + 3 * (left + cols), o + 3 * size, (byte) 0);
        }
    }

    /**
     * Sums filled row {@code oy}'s boxes into {@link #sumY}, {@link #sumU}, {@link #sumV}: luma over each box; chroma
     * as if upsampled to luma by repeating each sample (nearest chroma), each chroma row weighted by how many luma
     * rows use it.
     */
    private void sums(byte[] yuv, int width, int height, int oy) {
        int[] col = columnY;
        int n0 = col.length;
        int cw = Yuv420.chromaWidth(width), u0 = Yuv420.uOffset(width, height), v0 = Yuv420.vOffset(width, height);
        int[] ru = rowU, rv = rowV;
        int n = ru.length;
        int ya = y0[oy], yb = y1[oy];
        startRows(col);
        for (int y = ya; y < yb; y++) addRow(yuv, y * width + from, 1, col);
        endRows(col);
        startRows(ru);
        for (int cy = ya >> 1, last = (yb - 1) >> 1; cy <= last; cy++)
            addRow(yuv, u0 + cy * cw + cFirst, Math.min(yb, 2 * cy + 2) - Math.max(ya, 2 * cy), ru);
        endRows(ru);
        startRows(rv);
        for (int cy = ya >> 1, last = (yb - 1) >> 1; cy <= last; cy++)
            addRow(yuv, v0 + cy * cw + cFirst, Math.min(yb, 2 * cy + 2) - Math.max(ya, 2 * cy), rv);
        endRows(rv);
        // U and V in one long: one load per tap serves both (sums are non-negative and far below 2^32)
        long[] uv = rowUV;
        for (int i = 0; i < n; i++) uv[i] = ru[i] | ((long) rv[i] << 32);
        float[] fy = sumY, fu = sumU, fv = sumV;
        int m = cols;
        if (twoTaps) {
            int[] a = tapY0, b = tapY1, wb = weightY1;
            for (int ox = 0; ox < m; ox++) fy[ox] = col[a[ox]] + wb[ox] * col[b[ox]];
            int[] c = tapC0, d = tapC1, wc = weightC0, wd = weightC1;
            for (int ox = 0; ox < m; ox++) {
                long s = wc[ox] * uv[c[ox]] + wd[ox] * uv[d[ox]];
                fu[ox] = (int) s;
                fv[ox] = (int) (s >>> 32);
            }
        } else {
            int[] py = prefixY;
            for (int i = 0; i < n0; i++) py[i + 1] = py[i] + col[i];
            for (int ox = 0; ox < m; ox++) fy[ox] = py[x1[ox] - from] - py[x0[ox] - from];
            long[] puv = prefixUV;
            for (int i = 0; i < n; i++) puv[i + 1] = puv[i] + uv[i];
            for (int ox = 0; ox < m; ox++) {
                long s = upTo(puv, uv, x1[ox]) - upTo(puv, uv, x0[ox]);
                fu[ox] = (int) s;
                fv[ox] = (int) (s >>> 32);
            }
        }
    }

    /** Starts summing rows into {@code into} (its length is the row's width in bytes). */
    private void startRows(int[] into) {
        java.util.Arrays.fill(into, 0);
        if (lanes) {
            int words = into.length >>> 3;
            java.util.Arrays.fill(even, 0, words, 0L);
            java.util.Arrays.fill(odd, 0, words, 0L);
        }
    }

    /** Adds {@code weight} times the bytes from {@code p} (as many as {@code into} holds) to the running sums. */
    private void addRow(byte[] yuv, int p, int weight, int[] into) {
        int n = into.length, words = 0;
        if (lanes) {
            words = n >>> 3;
            long[] e = even, o = odd;
            for (int j = 0, q = p; j < words; j++, q += 8) {
                long v = (long) LONGS.get(yuv, q);
                e[j] += weight * (v & LANES);
                o[j] += weight * ((v >>> 8) & LANES);
            }
        }
        for (int i = words << 3; i < n; i++) into[i] += weight * (yuv[p + i] & 0xff);
    }

    /** Moves the lane sums into {@code into} (the columns past the last whole word are there already). */
    private void endRows(int[] into) {
        if (!lanes) return;
        long[] e = even, o = odd;
        for (int j = 0, words = into.length >>> 3; j < words; j++) {
            long a = e[j], b = o[j];
            int i = j << 3;
            into[i] = (int) (a & 0xffff);
            into[i + 1] = (int) (b & 0xffff);
            into[i + 2] = (int) ((a >>> 16) & 0xffff);
            into[i + 3] = (int) ((b >>> 16) & 0xffff);
            into[i + 4] = (int) ((a >>> 32) & 0xffff);
            into[i + 5] = (int) ((b >>> 32) & 0xffff);
            into[i + 6] = (int) (a >>> 48);
            into[i + 7] = (int) (b >>> 48);
        }
    }

    /** Sum of the packed chroma row repeated to luma resolution, over luma columns 2 * cFirst .. x - 1. */
    private long upTo(long[] prefix, long[] row, int x) {
        int c = (x >> 1) - cFirst;
        return 2 * prefix[c] + (x & 1) * row[c];
    }

    /**
     * Turns row {@code oy}'s sums into R, G, B: the BT.601 conversion of each box's mean Y, U, V, clamped to 0-255,
     * then times {@code k} plus {@code c}. One output per loop, so C2 vectorises each.
     */
    private void toRgb(int oy, float[] k, float[] c) {
        float ih = inverseHeight[oy];
        int n = cols; // a local bound: C2 does not vectorise these loops bounded by the field
        float[] iw = inverseWidth, l = sumY, u = sumU, v = sumV, r = red, g = green, b = blue;
        for (int ox = 0; ox < n; ox++) l[ox] = Yuv420.CY * (l[ox] * (iw[ox] * ih) - 16);
        for (int ox = 0; ox < n; ox++) u[ox] = u[ox] * (iw[ox] * ih) - 128;
        for (int ox = 0; ox < n; ox++) v[ox] = v[ox] * (iw[ox] * ih) - 128;
        float k0 = k[0], k1 = k[1], k2 = k[2], c0 = c[0], c1 = c[1], c2 = c[2];
        for (int ox = 0; ox < n; ox++) r[ox] = Math.min(Math.max(l[ox] + Yuv420.CRV * v[ox], 0f), 255f) * k0 + c0;
        for (int ox = 0; ox < n; ox++)
            g[ox] = Math.min(Math.max(l[ox] - Yuv420.CGU * u[ox] - Yuv420.CGV * v[ox], 0f), 255f) * k1 + c1;
        for (int ox = 0; ox < n; ox++) b[ox] = Math.min(Math.max(l[ox] + Yuv420.CBU * u[ox], 0f), 255f) * k2 + c2;
    }

    private void tables(int width, int height) {
        FrameFit fit = FrameFit.of(input, width, height);
        left = fit.left();
        top = fit.top();
        cols = fit.cols();
        rows = fit.rows();
        int sideY = fit.height();
        x0 = new int[cols];
        x1 = new int[cols];
        y0 = new int[rows];
        y1 = new int[rows];
        FrameFit.boxes(fit.x(), fit.width(), cols, x0, x1);
        FrameFit.boxes(fit.y(), fit.height(), rows, y0, y1);
        inverseWidth = new float[cols];
        inverseHeight = new float[rows];
        int widest = 0;
        for (int i = 0; i < cols; i++) {
            inverseWidth[i] = 1f / (x1[i] - x0[i]);
            widest = Math.max(widest, x1[i] - x0[i]);
        }
        for (int i = 0; i < rows; i++) inverseHeight[i] = 1f / (y1[i] - y0[i]);
        from = x0[0];
        columnY = new int[x1[cols - 1] - from];
        prefixY = new int[columnY.length + 1];
        cFirst = x0[0] >> 1;
        cLast = (x1[cols - 1] - 1) >> 1;
        int n = cLast - cFirst + 1;
        rowU = new int[n];
        rowV = new int[n];
        rowUV = new long[n + 1]; // upTo reads one past the last column, times 0
        prefixUV = new long[n + 1];
        twoTaps = widest <= 2;
        int tallest = 0;
        for (int i = 0; i < rows; i++) tallest = Math.max(tallest, y1[i] - y0[i]);
        // lanes pay for their unpacking from about three rows a band (HD to 256 px: 4.2; 480 lines to 256: 1.9, no
        // gain measured); chroma weights add up to the band's luma rows, so the same bound holds for them
        lanes = sideY >= 3 * rows && tallest <= MAX_LANE_ROWS;
        int words = (Math.max(columnY.length, n) >>> 3) + 1;
        even = new long[words];
        odd = new long[words];
        tapY0 = new int[cols];
        tapY1 = new int[cols];
        weightY1 = new int[cols];
        tapC0 = new int[cols];
        tapC1 = new int[cols];
        weightC0 = new int[cols];
        weightC1 = new int[cols];
        for (int i = 0; i < cols; i++) {
            boolean two = x1[i] - x0[i] == 2;
            tapY0[i] = x0[i] - from;
            tapY1[i] = two ? x0[i] + 1 - from : tapY0[i];
            weightY1[i] = two ? 1 : 0;
            int c = x0[i] >> 1;
            tapC0[i] = c - cFirst;
            weightC0[i] = Math.min(x1[i], 2 * c + 2) - x0[i];
            int d = c + 1, second = Math.max(0, x1[i] - 2 * d);
            tapC1[i] = second > 0 ? d - cFirst : tapC0[i];
            weightC1[i] = second;
        }
        forWidth = width;
        forHeight = height;
    }
}
