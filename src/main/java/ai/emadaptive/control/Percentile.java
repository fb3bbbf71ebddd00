package ai.emadaptive.control;

/**
 * The nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. The one
 * definition the controller's latency window and every benchmark use, so their p95s and p99s compare.
 */
public final class Percentile {
    private Percentile() {}

    /** Index of the p-th percentile in {@code n} ascending samples (n >= 1). */
    public static int rank(int n, double percent) {
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(percent / 100 * n) - 1));
    }

    /** The p-th percentile of ascending samples; NaN when there are none. */
    public static double of(double[] sorted, double percent) {
        return sorted.length == 0 ? Double.NaN : sorted[rank(sorted.length, percent)];
    }
}
