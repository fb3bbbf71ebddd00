package ai.emadaptive.generate;

import java.util.Random;

/** Draws random but plausible scenes: where the tip is, how the shaft enters, which patient, what goes wrong. */
public final class SceneSampler {
    /** Generated data sets draw their tissue from this many simulated patients. */
    public static final int PATIENTS = 64;

    private SceneSampler() {}

    /**
     * A scene of the given class and difficulty. The shaft runs from the tip out past the rim of the field; when the
     * tip is out of view it crosses the field instead and the tip sits at or beyond the far rim.
     */
    public static Scene sample(Instrument instrument, Difficulty d, Random rnd, int w, int h) {
        double r = SceneRenderer.fovRadius(w, h);
        double a = rnd.nextDouble() * 2 * Math.PI;
        // with an assistant's instrument off-centre, the labelled tip stays within 0.5 of the radius (0.55 without)
        double dist = d.outOfView() > 0
                ? r * (0.8 + 0.065 * d.outOfView())
                : r * (d.assistant() > 0 ? 0.5 : 0.55) * Math.sqrt(rnd.nextDouble());
        double tx = w / 2.0 + Math.cos(a) * dist, ty = h / 2.0 + Math.sin(a) * dist;
        double outward = Math.atan2(ty - h / 2.0, tx - w / 2.0);
        double angle = d.outOfView() > 0
                ? outward + Math.PI + rnd.nextGaussian() * 0.25
                : dist < r * 0.1 ? rnd.nextDouble() * 2 * Math.PI : outward + rnd.nextGaussian() * 0.5;
        return new Scene(
                rnd.nextInt(PATIENTS),
                instrument,
                tx / w,
                ty / h,
                angle,
                rnd.nextDouble(),
                (rnd.nextDouble() - 0.5) * 0.3,
                (rnd.nextDouble() - 0.5) * 0.3,
                d,
                rnd.nextLong(),
                rnd.nextDouble() * 10);
    }

    /** Difficulty level of a generated image: 40% clear, 20% each of levels 1-3. */
    public static int level(Random rnd) {
        double u = rnd.nextDouble();
        return u < 0.4 ? 0 : u < 0.6 ? 1 : u < 0.8 ? 2 : 3;
    }
}
