package ai.emadaptive.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body and answer of /api/streams/{id}/lambda. */
@Schema(description = "Router lambda of a stream: higher = earlier exits, lower cost")
public record LambdaSetting(
        @Schema(
                description =
                        "a finite lambda (fixed mode; below 0 favours depth, as some models' defaults do); in adaptive mode, the controller's current value",
                example = "1.0")
        Double lambda,

        @Schema(description = "0 = routed; 1..4 = every frame forced to that exit (4 = full depth)")
        Integer pinnedExit,

        @Schema(
                description =
                        "'fixed' (default when lambda is given) or 'adaptive' (the node's controller sets lambda from load)")
        String mode,

        @Schema(description = "adaptive mode: the node's p95 latency budget, ms (read only)")
        Double budgetMs) {

    /**
     * What is wrong with this update, or null: every field is checked before anything changes, so an update that is
     * refused changes nothing.
     */
    String problem() {
        if (mode != null && !mode.equals("fixed") && !mode.equals("adaptive"))
            return "mode must be 'fixed' or 'adaptive'";
        if (lambda != null && !Double.isFinite(lambda)) return "lambda must be a finite number: " + lambda;
        if (pinnedExit != null && (pinnedExit < 0 || pinnedExit > 4)) return "pinnedExit must be 0..4: " + pinnedExit;
        boolean fixed = mode == null || mode.equals("fixed");
        if (fixed && lambda == null && pinnedExit == null) return "fixed mode needs a lambda";
        return null;
    }
}
