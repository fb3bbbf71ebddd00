package ai.emadaptive.model;

/**
 * Derives independent seeds from (seed, index) pairs. java.util.Random's first outputs for consecutive seeds are
 * strongly correlated, so per-item generators are seeded through the SplitMix64 finaliser instead.
 */
public final class Seeds {
    private Seeds() {}

    public static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
