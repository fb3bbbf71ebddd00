package ai.emadaptive.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** Frames per inference batch (micro-batching across streams). */
public final class BatchSize {
    private final DistributionSummary summary;

    public BatchSize(MeterRegistry registry) {
        summary = DistributionSummary.builder(MetricNames.BATCH)
                .description("Frames per inference batch, across streams")
                .baseUnit("frames")
                .serviceLevelObjectives(1, 2, 4, 8, 16)
                .register(registry);
    }

    public void record(int n) {
        summary.record(n);
    }
}
