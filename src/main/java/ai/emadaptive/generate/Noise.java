package ai.emadaptive.generate;

import java.util.Random;

/** Smooth value noise and its fractal sum: the base of tissue, smoke and fog textures. Deterministic from a seed. */
final class Noise {
    private static final int GRID = 256;
    private final float[] values = new float[GRID * GRID];

    Noise(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < values.length; i++) values[i] = rnd.nextFloat();
    }

    private float at(int x, int y) {
        return values[Math.floorMod(y, GRID) * GRID + Math.floorMod(x, GRID)];
    }

    /** Bilinear value noise with smoothstep weights, in [0, 1]. */
    double value(double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0, fy = y - y0;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        double a = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * fx;
        double b = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * fx;
        return a + (b - a) * fy;
    }

    /** Fractal Brownian motion: octaves of value noise, each at double frequency and half amplitude; in [0, 1]. */
    double fbm(double x, double y, int octaves) {
        double sum = 0, amp = 0.5, norm = 0;
        for (int o = 0; o < octaves; o++) {
            sum += amp * value(x, y);
            norm += amp;
            x *= 2.03;
            y *= 2.03;
            amp *= 0.5;
        }
        return sum / norm;
    }
}
