package ai.emadaptive.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.control.AdaptiveLambda;
import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.control.LambdaController;
import ai.emadaptive.model.TaskType;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every meter a stream and a controller register: described, in a real unit or none, named as dashboards expect. */
class MeterConventionsTest {
    private static final Set<String> UNITS = Set.of("seconds", "frames", "hertz", "ratio");
    private static final Set<String> PURE_NUMBERS =
            Set.of(MetricNames.LAMBDA, MetricNames.ADAPTIVE, MetricNames.UP, ControlGauges.LAMBDA, ControlGauges.STATE);

    @Test
    void everyMeterIsDescribedAndHasARealUnitOrNone() {
        PrometheusMeterRegistry registry = registered();
        assertFalse(registry.getMeters().isEmpty());
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            assertTrue(
                    id.getDescription() != null && !id.getDescription().isBlank(),
                    id.getName() + " has no description");
            if (PURE_NUMBERS.contains(id.getName())) {
                assertEquals(null, id.getBaseUnit(), id.getName() + " is a pure number");
            } else {
                assertTrue(UNITS.contains(id.getBaseUnit()), id.getName() + " has base unit " + id.getBaseUnit());
            }
        }
    }

    @Test
    void prometheusNamesAreTheDocumentedOnes() {
        String scrape = registered().scrape();
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(scrape);
        while (m.find()) names.add(m.group(1));
        assertEquals(
                new TreeSet<>(List.of(
                        "emadaptive_control_budget_seconds",
                        "emadaptive_control_lambda",
                        "emadaptive_control_late_ratio",
                        "emadaptive_control_latency_p95_seconds",
                        "emadaptive_control_state",
                        "emadaptive_control_stride_frames",
                        "emadaptive_dropped_frames_total",
                        "emadaptive_frame_cost_ratio",
                        "emadaptive_frame_cost_ratio_max",
                        "emadaptive_frame_latency_seconds",
                        "emadaptive_frame_latency_seconds_max",
                        "emadaptive_frames_total",
                        "emadaptive_lambda",
                        "emadaptive_lambda_adaptive",
                        "emadaptive_queue_depth_frames",
                        "emadaptive_reused_frames_total",
                        "emadaptive_stream_accuracy_ratio",
                        "emadaptive_stream_frame_rate_hertz",
                        "emadaptive_stream_tool_accuracy_ratio",
                        "emadaptive_stream_up",
                        "emadaptive_tool_present_frames_total",
                        "emadaptive_uncertain_frames_total")),
                names);
    }

    private static PrometheusMeterRegistry registered() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new StreamMeters(registry, new Stream());
        LambdaController controller = new LambdaController(ControlSettings.defaults(33), 0.25, 2);
        new ControlGauges(registry, "default", new AdaptiveLambda(controller, List::of));
        return registry;
    }

    private static final class Stream implements MeteredStream {
        public String id() {
            return "or-1";
        }

        public List<String> classes() {
            return List.of("grasper", "hook");
        }

        public TaskType task() {
            return TaskType.MULTI_LABEL;
        }

        public double fps() {
            return 25;
        }

        public double lambda() {
            return 0.25;
        }

        public boolean adaptive() {
            return true;
        }

        public int queueDepth() {
            return 0;
        }

        public boolean active() {
            return true;
        }

        public double accuracy() {
            return Double.NaN;
        }

        public double toolAccuracy() {
            return Double.NaN;
        }
    }
}
