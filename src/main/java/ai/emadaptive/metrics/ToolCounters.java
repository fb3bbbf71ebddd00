package ai.emadaptive.metrics;

import ai.emadaptive.frame.FrameBuffer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Frames of one stream in which each tool was called present: multi-label, every class at or above its threshold;
 * single-label, the label's class, so the same dashboards read both. Reused frames count too: they show the tools.
 */
final class ToolCounters {
    private final Counter[] byClass;
    private final boolean multiLabel;

    ToolCounters(MeterRegistry registry, String stream, List<String> classes, boolean multiLabel) {
        this.multiLabel = multiLabel;
        byClass = new Counter[classes.size()];
        for (int c = 0; c < byClass.length; c++) {
            byClass[c] = Counter.builder(MetricNames.TOOL_PRESENT)
                    .description(
                            "Frames in which the tool was called present, by stream and tool (single-label models: the frame's class)")
                    .baseUnit("frames")
                    .tag(MetricNames.STREAM, stream)
                    .tag(MetricNames.TOOL, classes.get(c))
                    .register(registry);
        }
    }

    void record(FrameBuffer f) {
        if (!multiLabel) {
            if (f.label >= 0 && f.label < byClass.length) byClass[f.label].increment();
            return;
        }
        for (long m = f.present; m != 0; m &= m - 1) {
            int c = Long.numberOfTrailingZeros(m);
            if (c < byClass.length) byClass[c].increment();
        }
    }

    void remove(MeterRegistry registry) {
        for (Counter c : byClass) registry.remove(c);
    }
}
