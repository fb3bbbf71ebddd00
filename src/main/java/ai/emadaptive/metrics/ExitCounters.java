package ai.emadaptive.metrics;

import ai.emadaptive.model.ModelSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Frames processed by one stream, per exit taken: the exit mix. Summed over exits, the frames processed. */
final class ExitCounters {
    private final Counter[] byExit = new Counter[ModelSpec.STAGES + 1];

    ExitCounters(MeterRegistry registry, String stream) {
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            byExit[e] = Counter.builder(MetricNames.FRAMES)
                    .description(
                            "Frames inferred, by stream and the exit they left the network at (reused frames: emadaptive_reused_frames_total)")
                    .baseUnit("frames")
                    .tag(MetricNames.STREAM, stream)
                    .tag(MetricNames.EXIT, Integer.toString(e))
                    .register(registry);
        }
    }

    void record(int exit) {
        byExit[exit].increment();
    }

    void remove(MeterRegistry registry) {
        for (int e = 1; e <= ModelSpec.STAGES; e++) registry.remove(byExit[e]);
    }
}
