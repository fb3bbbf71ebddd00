package ai.emadaptive.control;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * The node's controller: every tick it reads the p95 latency, the share of frames over the budget (over the last
 * {@link TailShare#TICKS} ticks) and the drop rate
 * of the streams in adaptive mode (they share the node's inference worker, so they share the load), steps the
 * {@link LambdaController}, and gives every adaptive stream the new lambda and stride. Streams with a fixed lambda are left
 * alone (but their load still counts, through the latency of the adaptive ones).
 */
public final class AdaptiveLambda {
    private final LambdaController controller;
    private final LatencyWindow window = new LatencyWindow(8192);
    private final TailShare tail = new TailShare();
    private final Supplier<? extends Collection<? extends ControlledStream>> streams;
    private long lastDecoded, lastDropped;
    private volatile double lastP95 = Double.NaN;
    private volatile double lastLateRate;

    public AdaptiveLambda(
            LambdaController controller, Supplier<? extends Collection<? extends ControlledStream>> streams) {
        this.controller = controller;
        this.streams = streams;
    }

    /** Called for each processed frame of an adaptive stream (inference thread). */
    public void frame(double latencyMs) {
        window.record(latencyMs);
    }

    /** One control step (controller thread). */
    public synchronized void tick() {
        long decoded = lastDecoded, dropped = lastDropped;
        rebase();
        long dDecoded = lastDecoded - decoded, dDropped = lastDropped - dropped;
        double dropRate = dDecoded <= 0 || dDropped < 0 ? 0 : (double) dDropped / dDecoded;
        double p95 = window.drainPercentile(95);
        int late = window.countAbove(controller.settings().budgetMs()), frames = window.drained();
        double tickLate = frames == 0 ? 0 : (double) late / frames;
        double lateRate = tail.add(late, frames);
        double lambda = controller.tick(p95, lateRate, dropRate);
        lastP95 = p95;
        lastLateRate = tickLate;
        int stride = controller.stride();
        for (ControlledStream s : streams.get()) {
            if (!s.adaptive()) continue;
            s.lambda(lambda);
            s.stride(stride);
        }
    }

    /** A stream joining or leaving adaptive mode shifts the counters; re-baseline them. */
    public synchronized void rebase() {
        long decoded = 0, dropped = 0;
        for (ControlledStream s : streams.get()) {
            if (!s.adaptive()) continue;
            decoded += s.decodedCount();
            dropped += s.droppedCount();
        }
        lastDecoded = decoded;
        lastDropped = dropped;
    }

    public LambdaController controller() {
        return controller;
    }

    public double lastP95() {
        return lastP95;
    }

    /** Share of the last tick's frames over the budget. */
    public double lastLateRate() {
        return lastLateRate;
    }
}
