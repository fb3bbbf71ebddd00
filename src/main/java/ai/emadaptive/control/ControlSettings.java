package ai.emadaptive.control;

/**
 * Parameters of the adaptive-lambda control law (see {@link LambdaController}).
 *
 * @param budgetMs       end-to-end latency budget per frame (decoded to overlay done)
 * @param high           raise lambda when the window's p95 exceeds {@code high * budget} (or frames were dropped)
 * @param low            headroom: lower lambda only while p95 stays below {@code low * budget} and nothing drops
 * @param raiseFactor    lambda grows to {@code lambda * raiseFactor + raiseStep} per tick under pressure
 * @param raiseStep      additive part of a raise, so it also leaves lambda = 0
 * @param lowerFactor    lambda shrinks to {@code lambda * lowerFactor - lowerStep} per tick with headroom (not below
 *                       the floor)
 * @param lowerStep      subtractive part of a lowering, so lambda reaches a floor of 0 in a few steps
 * @param calmTicks      consecutive ticks with headroom before lowering starts (hysteresis in time); doubled after
 *                       each lowering that brought pressure back, up to {@code maxCalmTicks}, reset at the floor
 * @param maxCalmTicks   the longest wait before lowering again
 * @param maxDropRate    share of frames dropped in a window that counts as pressure
 * @param maxLateRate    share of a window's frames over the budget that counts as pressure: the budget is judged
 *                       by its tail (the share of frames within it), and latency comes in bursts that the p95 of a
 *                       short window misses
 * @param trimLateRate   the same behind a stride at its most (stride first), where raising lambda is a last resort
 *                       that sheds little: there only a miss of the target itself (99% within the budget) counts
 * @param maxStride      the coarse second actuator: under pressure that lambda alone cannot relieve, the network runs on
 *                       only one frame in {@code stride} (up to this) and the frames between carry its result (1: never)
 * @param reuseFirst     which actuator moves first: false raises lambda to its ceiling before reusing results (and
 *                       lowers the stride first when headroom returns); true reuses first and moves lambda last, and
 *                       then only a {@code raiseStep} a tick (the service's default)
 */
public record ControlSettings(
        double budgetMs,
        double high,
        double low,
        double raiseFactor,
        double raiseStep,
        double lowerFactor,
        double lowerStep,
        int calmTicks,
        int maxCalmTicks,
        double maxDropRate,
        double maxLateRate,
        double trimLateRate,
        int maxStride,
        boolean reuseFirst) {

    /**
     * The service's and {@code bench-load}'s stride: at most one frame in 8 inferred, the stride moved before lambda
     * (docs/design/adaptive-control.md: a label up to seven frames old costs far less than an early exit on the sample
     * clips).
     */
    public static final int DEFAULT_MAX_STRIDE = 8;

    public static final boolean DEFAULT_REUSE_FIRST = true;

    /** End-to-end budget per frame, ms: a 30 fps stream's frame interval. */
    public static final double DEFAULT_BUDGET_MS = 33;

    public static final double DEFAULT_HIGH = 0.8;
    public static final double DEFAULT_LOW = 0.5;
    public static final int DEFAULT_CALM_TICKS = 2;

    /** Lambda alone (no reuse), with the default thresholds; {@link #withReuse} adds the stride. */
    public static ControlSettings defaults(double budgetMs) {
        return of(budgetMs, DEFAULT_HIGH, DEFAULT_LOW, DEFAULT_CALM_TICKS);
    }

    /** The default law with the given budget, thresholds and calm ticks (the service's configurable part). */
    public static ControlSettings of(double budgetMs, double high, double low, int calmTicks) {
        return new ControlSettings(
                budgetMs,
                high,
                low,
                1.5,
                0.25,
                0.7,
                0.1,
                calmTicks,
                Math.max(calmTicks, 16),
                0.005,
                0.005,
                0.01,
                1,
                false);
    }

    /** The same law with result reuse up to {@code maxStride} frames per inference, moved before or after lambda. */
    public ControlSettings withReuse(int maxStride, boolean reuseFirst) {
        return new ControlSettings(
                budgetMs,
                high,
                low,
                raiseFactor,
                raiseStep,
                lowerFactor,
                lowerStep,
                calmTicks,
                maxCalmTicks,
                maxDropRate,
                maxLateRate,
                trimLateRate,
                maxStride,
                reuseFirst);
    }

    public ControlSettings {
        if (!(budgetMs > 0)) throw new IllegalArgumentException("budget must be > 0 ms");
        if (!(low > 0 && low < high && high <= 1.5)) throw new IllegalArgumentException("need 0 < low < high <= 1.5");
        if (!(raiseFactor >= 1 && raiseStep >= 0 && raiseFactor + raiseStep > 1))
            throw new IllegalArgumentException("raise must increase lambda");
        if (!(lowerFactor > 0 && lowerFactor < 1 && lowerStep >= 0))
            throw new IllegalArgumentException("lowerFactor must be in (0, 1), lowerStep >= 0");
        if (!(calmTicks >= 1 && maxCalmTicks >= calmTicks))
            throw new IllegalArgumentException("need 1 <= calmTicks <= maxCalmTicks");
        if (!(maxDropRate >= 0 && maxLateRate >= 0 && trimLateRate >= maxLateRate)) {
            throw new IllegalArgumentException("need maxDropRate >= 0 and 0 <= maxLateRate <= trimLateRate");
        }
        if (maxStride < 1) throw new IllegalArgumentException("max stride must be >= 1 (1: every frame inferred)");
    }
}
