package ai.emadaptive.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Frames processed without inference, carrying their stream's last inferred result (the controller's stride). */
final class ReusedFrames {
    private final Counter counter;

    ReusedFrames(MeterRegistry registry, String stream) {
        counter = Counter.builder(MetricNames.REUSED)
                .description("Frames processed without inference, carrying their stream's last inferred result, by stream")
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
