package ai.emadaptive.pipeline;

import ai.emadaptive.artifact.Manifest;

/**
 * Turns a full-resolution BGR frame into one row of the network's input: the centred square crop (the scope's
 * field of view sits in the middle of a wide frame), area-averaged down to the model's input size (as the training
 * images were rendered at that size, a box filter matches them better than point sampling), RGB order, scaled to
 * [0, 1] and normalised with the model's per-channel mean and std. Index tables are built once per resolution, so
 * a frame allocates nothing. Runs on each stream's decoder thread, so the streams' frames are prepared in
 * parallel and the one inference worker only copies rows. Not thread-safe: one per decoder.
 */
public final class Preprocessor {
    private final int size;
    private final float[] scale = new float[3];
    private final float[] shift = new float[3];
    private final int[] sum = new int[3];
    private int forWidth = -1, forHeight = -1;
    private int[] x0, x1, y0, y1;

    public Preprocessor(Manifest.Input input) {
        this.size = input.size();
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

    /** Writes the frame's input row ({@link FrameBuffer#input}) from its pixels. */
    public void write(FrameBuffer frame) {
        fill(frame.bgr, frame.width, frame.height, frame.input);
    }

    /** The normalised RGB crop of a packed BGR image into {@code out} [size*size*3], HWC. */
    public void fill(byte[] bgr, int width, int height, float[] out) {
        if (width != forWidth || height != forHeight) tables(width, height);
        int o = 0;
        for (int oy = 0; oy < size; oy++) {
            for (int ox = 0; ox < size; ox++) {
                float inv = box(bgr, width * 3, ox, oy);
                out[o++] = sum[2] * inv * scale[0] + shift[0];
                out[o++] = sum[1] * inv * scale[1] + shift[1];
                out[o++] = sum[0] * inv * scale[2] + shift[2];
            }
        }
    }

    /**
     * The same crop as RGB bytes [size*size*3], HWC, each mean rounded to 8 bits as an image file stores it: how
     * labelled clip frames become a data set that evaluates what the service sees.
     */
    public void fillRgb(byte[] bgr, int width, int height, byte[] out, int offset) {
        if (width != forWidth || height != forHeight) tables(width, height);
        int o = offset;
        for (int oy = 0; oy < size; oy++) {
            for (int ox = 0; ox < size; ox++) {
                float inv = box(bgr, width * 3, ox, oy);
                for (int c = 2; c >= 0; c--) out[o++] = (byte) Math.round(sum[c] * inv);
            }
        }
    }

    /** Sums the B, G, R values of output pixel (ox, oy)'s source box into {@link #sum}; returns 1 / its pixel count. */
    private float box(byte[] bgr, int stride, int ox, int oy) {
        int ya = y0[oy], yb = y1[oy], xa = x0[ox], xb = x1[ox];
        int sb = 0, sg = 0, sr = 0;
        for (int y = ya; y < yb; y++) {
            int p = y * stride + xa * 3;
            for (int x = xa; x < xb; x++, p += 3) {
                sb += bgr[p] & 0xff;
                sg += bgr[p + 1] & 0xff;
                sr += bgr[p + 2] & 0xff;
            }
        }
        sum[0] = sb;
        sum[1] = sg;
        sum[2] = sr;
        return 1f / ((yb - ya) * (xb - xa));
    }

    private void tables(int width, int height) {
        int side = Math.min(width, height);
        int left = (width - side) / 2, top = (height - side) / 2;
        x0 = new int[size];
        x1 = new int[size];
        y0 = new int[size];
        y1 = new int[size];
        for (int i = 0; i < size; i++) {
            int a = (int) ((long) i * side / size), b = (int) ((long) (i + 1) * side / size);
            if (b <= a) b = a + 1; // upscaling: at least one source pixel
            x0[i] = left + a;
            x1[i] = left + Math.min(b, side);
            y0[i] = top + a;
            y1[i] = top + Math.min(b, side);
        }
        forWidth = width;
        forHeight = height;
    }
}
