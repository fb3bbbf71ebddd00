package ai.emadaptive.bench;

import java.util.Arrays;

/** Summary of repeated timings of one batch: latency per batch and per frame, throughput. */
public record LatencyStats(int batch, int samples, double medianMs, double p99Ms, double meanMs) {

    public static LatencyStats of(int batch, double[] batchMillis) {
        double[] s = batchMillis.clone();
        Arrays.sort(s);
        int p99 = (int) Math.ceil(0.99 * s.length) - 1;
        return new LatencyStats(
                batch,
                s.length,
                s[s.length / 2],
                s[Math.max(0, p99)],
                Arrays.stream(s).average().orElse(0));
    }

    public double medianPerFrameMs() {
        return medianMs / batch;
    }

    public double p99PerFrameMs() {
        return p99Ms / batch;
    }

    public double framesPerSecond() {
        return batch * 1000.0 / meanMs;
    }

    /** Times {@code task} {@code samples} times after {@code warmup} untimed runs. */
    public static LatencyStats measure(int batch, int warmup, int samples, Runnable task) {
        for (int i = 0; i < warmup; i++) task.run();
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return of(batch, ms);
    }
}
