package ai.emadaptive.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Frames flagged uncertain: unlike the frames the model knows, so their label is a guess (reused frames included). */
final class UncertainFrames {
    private final Counter counter;

    UncertainFrames(MeterRegistry registry, String stream) {
        counter = Counter.builder(MetricNames.UNCERTAIN)
                .description("Frames unlike the model's in-distribution frames (their label is not shown as an answer), by stream")
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
