package ai.emadaptive.metrics;

import ai.emadaptive.frame.DropReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Frames decoded but not processed, by stream and reason. */
final class DroppedFrames {
    private final Counter[] byReason = new Counter[DropReason.values().length];

    DroppedFrames(MeterRegistry registry, String stream) {
        for (DropReason r : DropReason.values()) {
            byReason[r.ordinal()] = Counter.builder(MetricNames.DROPPED)
                    .description("Frames decoded but not processed, by stream and reason")
                    .baseUnit("frames")
                    .tag(MetricNames.STREAM, stream)
                    .tag(MetricNames.REASON, r.tag())
                    .register(registry);
        }
    }

    void record(DropReason reason) {
        byReason[reason.ordinal()].increment();
    }

    void remove(MeterRegistry registry) {
        for (Counter c : byReason) registry.remove(c);
    }
}
