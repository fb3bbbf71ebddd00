package ai.emadaptive.generate;

/**
 * Difficulty factors of a frame, each a level 0 (absent) to 3 (severe); exposure is signed (-3 under, +3 over).
 *
 * @param outOfView how far the instrument tip lies beyond the scope's field of view
 * @param clutter   loose objects on the tissue that look like parts of instrument tips (applied clips, a suture
 *                  needle, char marks, metal glints): colour and texture no longer tell the classes apart, only
 *                  where those parts sit relative to the shaft does
 * @param assistant a second instrument, of another class, held by an assistant with its tip off-centre (nearer the
 *                  centre at higher levels); the label is the more central tip. Only {@code generate images
 *                  --assistant} draws it: a cue that needs the wide context of deep stages, kept opt-in until a
 *                  model trained with it is shipped (docs/results/surgical-demo, "An assistant's instrument")
 */
public record Difficulty(
        int smoke, int motionBlur, int blood, int outOfView, int exposure, int fog, int clutter, int assistant) {
    public static final Difficulty CLEAR = new Difficulty(0, 0, 0, 0, 0, 0, 0);
    public static final String CSV_HEADER = "smoke,motion_blur,blood,out_of_view,exposure,fog,clutter,assistant,level";
    /** Factors that {@link #random(int, java.util.Random, boolean)} draws from: the first seven, or all eight. */
    private static final int FACTORS = 7, FACTORS_WITH_ASSISTANT = 8;
    /**
     * How strongly a level is rendered: levels 1 and 2 step linearly, level 3 is a severe case beyond the line. At a
     * linear level 3, early exits lost only 7 points to full depth (smoke, fog, blur and exposure lose 1-3 points at
     * level 2 and 10-18 at level 3), too little for the hardest level of a task that should make depth matter.
     */
    private static final double[] SEVERITY = {0, 1, 2, 3.6};

    /** Without an assistant's instrument. */
    public Difficulty(int smoke, int motionBlur, int blood, int outOfView, int exposure, int fog, int clutter) {
        this(smoke, motionBlur, blood, outOfView, exposure, fog, clutter, 0);
    }

    public Difficulty {
        check(smoke, 0, 3, "smoke");
        check(motionBlur, 0, 3, "motionBlur");
        check(blood, 0, 3, "blood");
        check(outOfView, 0, 3, "outOfView");
        check(exposure, -3, 3, "exposure");
        check(fog, 0, 3, "fog");
        check(clutter, 0, 3, "clutter");
        check(assistant, 0, 3, "assistant");
    }

    /** Rendering strength of a factor at {@code level} (sign kept, for exposure). */
    public static double severity(int level) {
        return Math.signum(level) * SEVERITY[Math.abs(level)];
    }

    private static void check(int v, int lo, int hi, String name) {
        if (v < lo || v > hi) throw new IllegalArgumentException(name + " level " + v + " outside " + lo + ".." + hi);
    }

    /** The frame's overall difficulty: its most severe factor. */
    public int level() {
        return Math.max(
                Math.max(Math.max(smoke, motionBlur), Math.max(blood, outOfView)),
                Math.max(Math.max(Math.abs(exposure), fog), Math.max(clutter, assistant)));
    }

    public String csv() {
        return smoke + "," + motionBlur + "," + blood + "," + outOfView + "," + exposure + "," + fog + "," + clutter
                + "," + assistant + "," + level();
    }

    /** One or two factors at {@code level} (level 0: clear), drawn from {@code rnd}; no assistant's instrument. */
    public static Difficulty random(int level, java.util.Random rnd) {
        return random(level, rnd, false);
    }

    /**
     * One or two factors at {@code level}, drawn from {@code rnd}, the assistant's instrument among them when asked.
     * Without it the draws are those of every earlier build, so existing seeds keep their frames.
     */
    public static Difficulty random(int level, java.util.Random rnd, boolean withAssistant) {
        if (level == 0) return CLEAR;
        int factors = withAssistant ? FACTORS_WITH_ASSISTANT : FACTORS;
        int[] f = new int[FACTORS_WITH_ASSISTANT];
        int count = 1 + rnd.nextInt(2);
        for (int i = 0; i < count; i++) {
            int which = rnd.nextInt(factors);
            f[which] = which == 4 && rnd.nextBoolean() ? -level : level;
        }
        return new Difficulty(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
    }
}
