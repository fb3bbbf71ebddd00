package ai.emadaptive.metrics;

import ai.emadaptive.frame.DropReason;
import ai.emadaptive.frame.FrameBuffer;
import io.micrometer.core.instrument.MeterRegistry;

/** Every meter of one stream, registered when it starts and removed when it goes. Allocation-free per frame. */
public final class StreamMeters {
    private final MeterRegistry registry;
    private final ExitCounters exits;
    private final FrameCost cost;
    private final FrameLatency latency;
    private final DroppedFrames dropped;
    private final FrameCounter reused;
    private final FrameCounter uncertain;
    private final StreamGauges gauges;
    private final ToolCounters tools;

    public StreamMeters(MeterRegistry registry, MeteredStream stream) {
        this.registry = registry;
        String id = stream.id();
        exits = new ExitCounters(registry, id);
        cost = new FrameCost(registry, id);
        latency = new FrameLatency(registry, id);
        dropped = new DroppedFrames(registry, id);
        reused = new FrameCounter(
                registry,
                MetricNames.REUSED,
                "Frames processed without inference, carrying their stream's last inferred result, by stream",
                id);
        uncertain = new FrameCounter(
                registry,
                MetricNames.UNCERTAIN,
                "Frames unlike the model's in-distribution frames (their label is not shown as an answer), by stream",
                id);
        gauges = new StreamGauges(registry, stream);
        tools = new ToolCounters(registry, id, stream.classes(), stream.task().multiLabel());
    }

    public void processed(FrameBuffer f) {
        if (f.reused) reused.record();
        else exits.record(f.exit);
        if (f.uncertain) uncertain.record();
        cost.record(f.cost);
        tools.record(f);
        latency.record(
                f.queueNanos(),
                f.preprocessNanos,
                f.inferenceNanos,
                f.overlaid ? f.overlayNanos : -1,
                f.latencyNanos());
    }

    public void dropped(DropReason reason) {
        dropped.record(reason);
    }

    public void remove() {
        exits.remove(registry);
        cost.remove(registry);
        latency.remove(registry);
        dropped.remove(registry);
        reused.remove(registry);
        uncertain.remove(registry);
        gauges.remove(registry);
        tools.remove(registry);
    }
}
