package ai.emadaptive.bench;

import ai.emadaptive.control.Percentile;
import java.util.Arrays;

/** Summary of repeated timings of one batch: latency per batch and per frame, throughput. */
public record LatencyStats(int batch, int samples, double medianMs, double p99Ms, double meanMs) {

    public static LatencyStats of(int batch, double[] batchMillis) {
        double[] s = batchMillis.clone();
        Arrays.sort(s);
        return new LatencyStats(
                batch,
                s.length,
                Percentile.of(s, 50),
                Percentile.of(s, 99),
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
