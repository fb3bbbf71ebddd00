package ai.emadaptive.data;

import java.nio.FloatBuffer;
import java.util.Random;

/**
 * Augmentation for real footage. Real videos differ in what a network can learn instead of the tools: framing and
 * zoom, light, white balance, colour and focus. Each training image gets its own draw of all of them, so no video's
 * look stays constant: a random crop of 35-100% of the area (aspect 3:4 to 4:3) resized back with bilinear sampling,
 * a horizontal flip half of the time, brightness, contrast and saturation each x0.6-1.4, per-channel gains x0.9-1.1,
 * and a blur (the mean of four samples up to 1.5 pixels apart) a third of the time. Not thread-safe (one per filler).
 */
final class SceneAugmentation {
    static final double MIN_AREA = 0.35;
    static final double MAX_ASPECT = 4.0 / 3.0;
    static final double JITTER = 0.4;
    static final double GAIN = 0.1;
    static final double BLUR_PROBABILITY = 1.0 / 3;
    static final double MAX_BLUR = 1.5;

    private final float[] rgb = new float[3];
    private final float[] gain = new float[3];

    /**
     * Writes one augmented, normalised image [s, s, 3] into {@code out} from {@code o}.
     *
     * @param base  the image's first byte in {@code px} (RGB, HWC, s x s)
     * @param scale per-channel 1 / (255 std), as the filler normalises
     * @param shift per-channel -mean / std
     */
    void fill(byte[] px, int base, int s, FloatBuffer out, int o, Random rnd, float[] scale, float[] shift) {
        double aspect = Math.exp((rnd.nextDouble() * 2 - 1) * Math.log(MAX_ASPECT));
        double area = (MIN_AREA + rnd.nextDouble() * (1 - MIN_AREA)) * s * s;
        double w = Math.min(s, Math.sqrt(area * aspect)), h = Math.min(s, Math.sqrt(area / aspect));
        double left = rnd.nextDouble() * (s - w), top = rnd.nextDouble() * (s - h);
        boolean flip = rnd.nextBoolean();
        float brightness = jitter(rnd), contrast = jitter(rnd), saturation = jitter(rnd);
        for (int c = 0; c < 3; c++) gain[c] = (float) (1 + (rnd.nextDouble() * 2 - 1) * GAIN);
        double blur = rnd.nextDouble() < BLUR_PROBABILITY ? 0.5 + rnd.nextDouble() * (MAX_BLUR - 0.5) : 0;
        float mean = meanGrey(px, base, s) * brightness;
        double sx = w / s, sy = h / s;
        for (int y = 0; y < s; y++) {
            double v = top + (y + 0.5) * sy - 0.5;
            for (int x = 0; x < s; x++) {
                double u = left + ((flip ? s - 1 - x : x) + 0.5) * sx - 0.5;
                rgb[0] = rgb[1] = rgb[2] = 0;
                if (blur == 0) {
                    bilinear(px, base, s, u, v, 1f);
                } else {
                    bilinear(px, base, s, u - blur, v - blur, 0.25f);
                    bilinear(px, base, s, u + blur, v - blur, 0.25f);
                    bilinear(px, base, s, u - blur, v + blur, 0.25f);
                    bilinear(px, base, s, u + blur, v + blur, 0.25f);
                }
                float grey = 0;
                for (int c = 0; c < 3; c++) {
                    rgb[c] *= gain[c] * brightness;
                    grey += GREY[c] * rgb[c];
                }
                for (int c = 0; c < 3; c++) {
                    float p = grey + saturation * (rgb[c] - grey);
                    p = mean + contrast * (p - mean);
                    p = p < 0 ? 0 : p > 255 ? 255 : p;
                    out.put(o++, p * scale[c] + shift[c]);
                }
            }
        }
    }

    private static final float[] GREY = {0.299f, 0.587f, 0.114f};

    private static float jitter(Random rnd) {
        return (float) (1 + (rnd.nextDouble() * 2 - 1) * JITTER);
    }

    private static float meanGrey(byte[] px, int base, int s) {
        long sum = 0;
        for (int i = 0, n = s * s; i < n; i++) {
            int p = base + 3 * i;
            sum += 299L * (px[p] & 0xff) + 587L * (px[p + 1] & 0xff) + 114L * (px[p + 2] & 0xff);
        }
        return sum / (1000f * s * s);
    }

    /** Adds weight x the bilinear sample at (u, v), edges clamped, to {@link #rgb}. */
    private void bilinear(byte[] px, int base, int s, double u, double v, float weight) {
        u = Math.max(0, Math.min(s - 1, u));
        v = Math.max(0, Math.min(s - 1, v));
        int x0 = (int) u, y0 = (int) v;
        int x1 = Math.min(s - 1, x0 + 1), y1 = Math.min(s - 1, y0 + 1);
        float fx = (float) (u - x0), fy = (float) (v - y0);
        int p00 = base + (y0 * s + x0) * 3, p01 = base + (y0 * s + x1) * 3;
        int p10 = base + (y1 * s + x0) * 3, p11 = base + (y1 * s + x1) * 3;
        for (int c = 0; c < 3; c++) {
            float top = (px[p00 + c] & 0xff) * (1 - fx) + (px[p01 + c] & 0xff) * fx;
            float bottom = (px[p10 + c] & 0xff) * (1 - fx) + (px[p11 + c] & 0xff) * fx;
            rgb[c] += weight * (top * (1 - fy) + bottom * fy);
        }
    }
}
