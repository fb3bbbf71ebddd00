package ai.emadaptive.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Per-frame latency by stage, with histogram buckets from 1 to 100 ms for dashboards: queue (prepared to taken by
 * inference), preprocess (on the decoder's thread, once the frame is due), inference (the batch's copy-in and
 * routed pass), overlay, and end to end (decoded to overlay done, so preprocessing included).
 */
final class FrameLatency {
    static final String[] STAGES = {"queue", "preprocess", "inference", "overlay", "end_to_end"};
    private static final Duration[] BUCKETS = {
        ms(1), ms(2), ms(3), ms(5), ms(8), ms(10), ms(15), ms(20), ms(25), ms(33), ms(40), ms(50), ms(66), ms(100)
    };

    private final Timer queue, preprocess, inference, overlay, endToEnd;

    FrameLatency(MeterRegistry registry, String stream) {
        queue = timer(registry, stream, STAGES[0]);
        preprocess = timer(registry, stream, STAGES[1]);
        inference = timer(registry, stream, STAGES[2]);
        overlay = timer(registry, stream, STAGES[3]);
        endToEnd = timer(registry, stream, STAGES[4]);
    }

    private static Timer timer(MeterRegistry registry, String stream, String stage) {
        return Timer.builder(MetricNames.LATENCY)
                .description("Per-frame latency by pipeline stage; end_to_end is frame decoded to overlay done")
                .tag(MetricNames.STREAM, stream)
                .tag(MetricNames.STAGE, stage)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    void record(long queueNanos, long preprocessNanos, long inferenceNanos, long overlayNanos, long endToEndNanos) {
        queue.record(queueNanos, TimeUnit.NANOSECONDS);
        preprocess.record(preprocessNanos, TimeUnit.NANOSECONDS);
        inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
        if (overlayNanos >= 0) overlay.record(overlayNanos, TimeUnit.NANOSECONDS); // only frames that got one
        endToEnd.record(endToEndNanos, TimeUnit.NANOSECONDS);
    }

    void remove(MeterRegistry registry) {
        for (Timer t : new Timer[] {queue, preprocess, inference, overlay, endToEnd}) registry.remove(t);
    }

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }
}
