package ai.emadaptive.metrics;

import ai.emadaptive.control.AdaptiveLambda;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The adaptive-lambda controller of one model's worker: its budget, what it measured, what it decided. Lambda and the
 * state code are pure numbers: they have no base unit, so Prometheus shows no unit suffix.
 */
public final class ControlGauges {
    public static final String BUDGET = "emadaptive.control.budget"; // emadaptive_control_budget_seconds
    public static final String P95 = "emadaptive.control.latency.p95"; // emadaptive_control_latency_p95_seconds
    public static final String LATE = "emadaptive.control.late"; // emadaptive_control_late_ratio
    public static final String LAMBDA = "emadaptive.control.lambda"; // emadaptive_control_lambda
    public static final String STRIDE = "emadaptive.control.stride"; // emadaptive_control_stride_frames
    public static final String STATE = "emadaptive.control.state"; // emadaptive_control_state
    public static final String MODEL = "model";

    public ControlGauges(MeterRegistry registry, String model, AdaptiveLambda control) {
        Gauge.builder(BUDGET, control, c -> c.controller().settings().budgetMs() / 1000)
                .strongReference(true)
                .description("End-to-end latency budget (p95) the controller holds adaptive streams to")
                .baseUnit("seconds")
                .tag(MODEL, model)
                .register(registry);
        Gauge.builder(P95, control, c -> c.lastP95() / 1000)
                .strongReference(true)
                .description(
                        "p95 end-to-end latency of adaptive streams in the last control period (NaN without frames)")
                .baseUnit("seconds")
                .tag(MODEL, model)
                .register(registry);
        Gauge.builder(LATE, control, AdaptiveLambda::lastLateRate)
                .strongReference(true)
                .description(
                        "Share of adaptive streams' frames over the budget in the last control period (the controller"
                                + " acts on the share over its last 8 periods)")
                .baseUnit("ratio")
                .tag(MODEL, model)
                .register(registry);
        Gauge.builder(LAMBDA, control, c -> c.controller().lambda())
                .strongReference(true)
                .description("Lambda the controller gives adaptive streams")
                .tag(MODEL, model)
                .register(registry);
        Gauge.builder(STRIDE, control, c -> c.controller().stride())
                .strongReference(true)
                .description(
                        "Frames per inference the controller gives adaptive streams (1: every frame inferred; k: one in k, the rest reuse its result)")
                .baseUnit("frames")
                .tag(MODEL, model)
                .register(registry);
        Gauge.builder(STATE, control, c -> c.controller().state().ordinal())
                .strongReference(true)
                .description(
                        "Controller state: 0 at floor (accuracy-optimal), 1 holding, 2 raising, 3 lowering, 4 at ceiling")
                .tag(MODEL, model)
                .register(registry);
    }
}
