package ai.emadaptive.control;

import java.util.Arrays;

/**
 * End-to-end latencies of the frames processed since the last tick, kept in a fixed array (no allocation per frame;
 * beyond its capacity, samples overwrite at random so the percentile stays unbiased). Written by the inference
 * thread, drained by the controller's.
 */
public final class LatencyWindow {
    private final float[] samples;
    private final float[] scratch;
    private int count;
    private int drained;
    private long seen;
    private long seed = 0x9E3779B97F4A7C15L;

    public LatencyWindow(int capacity) {
        samples = new float[capacity];
        scratch = new float[capacity];
    }

    public synchronized void record(double latencyMs) {
        seen++;
        if (count < samples.length) {
            samples[count++] = (float) latencyMs;
        } else {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            long j = Long.remainderUnsigned(seed >>> 1, seen);
            if (j < samples.length) samples[(int) j] = (float) latencyMs;
        }
    }

    /** The given percentile of the samples since the last drain (NaN when none), and starts a new window. */
    public double drainPercentile(double percentile) {
        int n;
        synchronized (this) {
            n = count;
            System.arraycopy(samples, 0, scratch, 0, n);
            count = 0;
            seen = 0;
        }
        drained = n;
        if (n == 0) return Double.NaN;
        Arrays.sort(scratch, 0, n);
        return scratch[Percentile.rank(n, percentile)];
    }

    /** Share of the last drained window's samples above {@code ms} (0 when it had none); call after a drain. */
    public double shareAbove(double ms) {
        return drained == 0 ? 0 : (double) countAbove(ms) / drained;
    }

    /** How many of the last drained window's samples are above {@code ms}; call after a drain. */
    public int countAbove(double ms) {
        int lo = 0, hi = drained; // first sorted index with a value above ms
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (scratch[mid] > ms) hi = mid;
            else lo = mid + 1;
        }
        return drained - lo;
    }

    /** Samples in the last drained window. */
    public int drained() {
        return drained;
    }
}
