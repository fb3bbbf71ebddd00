package ai.emadaptive.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body and answer of /api/streams/{id}/lambda. */
@Schema(description = "Router lambda of a stream: higher = earlier exits, lower cost")
public record LambdaSetting(@Schema(description = "lambda >= 0", example = "1.0") double lambda,
                            @Schema(description = "0 = routed; 1..4 = every frame forced to that exit (4 = full depth)") Integer pinnedExit) {}
