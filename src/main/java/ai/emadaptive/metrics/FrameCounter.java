package ai.emadaptive.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Frames of one stream that share a property, as one counter (base unit frames): those reused without inference
 * ({@link MetricNames#REUSED}), those flagged uncertain ({@link MetricNames#UNCERTAIN}).
 */
final class FrameCounter {
    private final Counter counter;

    FrameCounter(MeterRegistry registry, String name, String description, String stream) {
        counter = Counter.builder(name)
                .description(description)
                .baseUnit("frames")
                .tag(MetricNames.STREAM, stream)
                .register(registry);
    }

    void record() {
        counter.increment();
    }

    void remove(MeterRegistry registry) {
        registry.remove(counter);
    }
}
