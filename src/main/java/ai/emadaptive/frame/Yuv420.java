package ai.emadaptive.frame;

import ai.emadaptive.ingest.Preprocessor;

/**
 * Planar YUV 4:2:0 frames (I420), the format H.264 decodes to, packed without row padding: Y (width x height),
 * then U, then V (each ceil(width / 2) x ceil(height / 2)). Colour is ITU-R BT.601 with limited range (Y 16-235,
 * chroma 16-240), with swscale's coefficients, each chroma sample used for its 2x2 pixels; {@link Preprocessor}
 * converts with them, which matches swscale's exact mode without a bias (its fast default, which the network's input
 * used to come from, rounds every channel down by about 0.8 of a level).
 */
public final class Yuv420 {
    /** swscale's BT.601 coefficients: 255/219 for luma, then crv, cgu, cgv, cbu (16.16 fixed point / 65536). */
    public static final float CY = 255f / 219f;

    public static final float CRV = 104597 / 65536f;
    public static final float CGU = 25675 / 65536f;
    public static final float CGV = 53279 / 65536f;
    public static final float CBU = 132201 / 65536f;

    private Yuv420() {}

    public static int chromaWidth(int width) {
        return (width + 1) >> 1;
    }

    public static int chromaHeight(int height) {
        return (height + 1) >> 1;
    }

    /** Bytes of a packed frame. */
    public static int length(int width, int height) {
        return width * height + 2 * chromaWidth(width) * chromaHeight(height);
    }

    /** Offset of the U plane in a packed frame (V follows it). */
    public static int uOffset(int width, int height) {
        return width * height;
    }

    public static int vOffset(int width, int height) {
        return width * height + chromaWidth(width) * chromaHeight(height);
    }
}
