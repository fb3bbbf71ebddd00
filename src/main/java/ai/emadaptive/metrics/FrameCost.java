package ai.emadaptive.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** Normalised compute cost per frame (FLOPs of the path executed / FLOPs of the full network). */
final class FrameCost {
    private final DistributionSummary summary;

    FrameCost(MeterRegistry registry, String stream) {
        summary = DistributionSummary.builder(MetricNames.COST)
                .description("Normalised FLOP cost of each frame's executed path (1 = full network)")
                .baseUnit("ratio")
                .tag(MetricNames.STREAM, stream)
                .serviceLevelObjectives(0.25, 0.5, 0.75, 1.0, 1.1)
                .register(registry);
    }

    void record(double cost) {
        summary.record(cost);
    }

    void remove(MeterRegistry registry) {
        registry.remove(summary);
    }
}
