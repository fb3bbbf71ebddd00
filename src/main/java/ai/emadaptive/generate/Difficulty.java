package ai.emadaptive.generate;

/**
 * Difficulty factors of a frame, each a level 0 (absent) to 3 (severe); exposure is signed (-3 under, +3 over).
 *
 * @param outOfView how far the instrument tip lies beyond the scope's field of view
 */
public record Difficulty(int smoke, int motionBlur, int blood, int outOfView, int exposure, int fog) {
    public static final Difficulty CLEAR = new Difficulty(0, 0, 0, 0, 0, 0);
    public static final String CSV_HEADER = "smoke,motion_blur,blood,out_of_view,exposure,fog,level";

    public Difficulty {
        check(smoke, 0, 3, "smoke");
        check(motionBlur, 0, 3, "motionBlur");
        check(blood, 0, 3, "blood");
        check(outOfView, 0, 3, "outOfView");
        check(exposure, -3, 3, "exposure");
        check(fog, 0, 3, "fog");
    }

    private static void check(int v, int lo, int hi, String name) {
        if (v < lo || v > hi) throw new IllegalArgumentException(name + " level " + v + " outside " + lo + ".." + hi);
    }

    /** The frame's overall difficulty: its most severe factor. */
    public int level() {
        return Math.max(Math.max(Math.max(smoke, motionBlur), Math.max(blood, outOfView)), Math.max(Math.abs(exposure), fog));
    }

    public String csv() {
        return smoke + "," + motionBlur + "," + blood + "," + outOfView + "," + exposure + "," + fog + "," + level();
    }

    /** One or two factors at {@code level} (level 0: clear), drawn from {@code rnd}. */
    public static Difficulty random(int level, java.util.Random rnd) {
        if (level == 0) return CLEAR;
        int[] f = new int[6];
        int count = 1 + rnd.nextInt(2);
        for (int i = 0; i < count; i++) {
            int which = rnd.nextInt(6);
            f[which] = which == 4 && rnd.nextBoolean() ? -level : level;
        }
        return new Difficulty(f[0], f[1], f[2], f[3], f[4], f[5]);
    }
}
