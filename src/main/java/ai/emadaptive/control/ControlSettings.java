package ai.emadaptive.control;

/**
 * Parameters of the adaptive-lambda control law (see {@link LambdaController}).
 *
 * @param budgetMs       end-to-end latency budget per frame (decoded to overlay done)
 * @param high           raise lambda when the window's p95 exceeds {@code high * budget} (or frames were dropped)
 * @param low            headroom: lower lambda only while p95 stays below {@code low * budget} and nothing drops
 * @param raiseFactor    lambda grows to {@code lambda * raiseFactor + raiseStep} per tick under pressure
 * @param raiseStep      additive part of a raise, so it also leaves lambda = 0
 * @param lowerFactor    lambda shrinks to {@code lambda * lowerFactor} per tick with headroom (not below the floor)
 * @param calmTicks      consecutive ticks with headroom before lowering starts (hysteresis in time)
 * @param maxDropRate    share of frames dropped in a window that counts as pressure
 */
public record ControlSettings(double budgetMs, double high, double low, double raiseFactor, double raiseStep,
                              double lowerFactor, int calmTicks, double maxDropRate) {

    public static ControlSettings defaults(double budgetMs) {
        return new ControlSettings(budgetMs, 0.8, 0.5, 1.5, 0.25, 0.7, 2, 0.005);
    }

    public ControlSettings {
        if (!(budgetMs > 0)) throw new IllegalArgumentException("budget must be > 0 ms");
        if (!(low > 0 && low < high && high <= 1.5)) throw new IllegalArgumentException("need 0 < low < high <= 1.5");
        if (!(raiseFactor >= 1 && raiseStep >= 0 && raiseFactor + raiseStep > 1)) throw new IllegalArgumentException("raise must increase lambda");
        if (!(lowerFactor > 0 && lowerFactor < 1)) throw new IllegalArgumentException("lowerFactor must be in (0, 1)");
    }
}
