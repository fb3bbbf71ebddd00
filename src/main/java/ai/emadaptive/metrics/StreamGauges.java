package ai.emadaptive.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream's current state, read when scraped: frame rate, lambda, frames waiting, up or not, live accuracy
 * (multi-label: exact match and per tool). Lambda and the two flags are pure numbers: they have no base unit, so
 * Prometheus shows no unit suffix.
 */
final class StreamGauges {
    private final List<Gauge> gauges = new ArrayList<>();

    StreamGauges(MeterRegistry registry, MeteredStream stream) {
        String id = stream.id();
        gauges.add(Gauge.builder(MetricNames.FPS, stream, MeteredStream::fps)
                .strongReference(true)
                .description("Frames processed per second, recent average")
                .baseUnit("hertz")
                .tag(MetricNames.STREAM, id)
                .register(registry));
        gauges.add(Gauge.builder(MetricNames.LAMBDA, stream, MeteredStream::lambda)
                .strongReference(true)
                .description("Router lambda in force (higher = earlier exits, lower cost)")
                .tag(MetricNames.STREAM, id)
                .register(registry));
        gauges.add(Gauge.builder(MetricNames.ADAPTIVE, stream, s -> s.adaptive() ? 1 : 0)
                .strongReference(true)
                .description("1 while the node's controller sets this stream's lambda, 0 for a fixed lambda")
                .tag(MetricNames.STREAM, id)
                .register(registry));
        gauges.add(Gauge.builder(MetricNames.QUEUE, stream, MeteredStream::queueDepth)
                .strongReference(true)
                .description(
                        "Decoded frames waiting for inference (at most 2: a live stream's newest replaces its oldest)")
                .baseUnit("frames")
                .tag(MetricNames.STREAM, id)
                .register(registry));
        gauges.add(Gauge.builder(MetricNames.UP, stream, s -> s.active() ? 1 : 0)
                .strongReference(true)
                .description("1 while the stream is starting, running or reconnecting; 0 once ended, failed or stopped")
                .tag(MetricNames.STREAM, id)
                .register(registry));
        gauges.add(Gauge.builder(MetricNames.ACCURACY, stream, MeteredStream::accuracy)
                .strongReference(true)
                .description(
                        "Share of processed frames whose label matches the clip's ground truth (multi-label: whose whole tool set does; NaN without one)")
                .baseUnit("ratio")
                .tag(MetricNames.STREAM, id)
                .register(registry));
        gauges.add(Gauge.builder(MetricNames.TOOL_ACCURACY, stream, MeteredStream::toolAccuracy)
                .strongReference(true)
                .description(
                        "Multi-label: share of (frame, tool) presence decisions that match the clip's ground truth (NaN without one or for single-label models)")
                .baseUnit("ratio")
                .tag(MetricNames.STREAM, id)
                .register(registry));
    }

    void remove(MeterRegistry registry) {
        for (Gauge g : gauges) registry.remove(g);
    }
}
