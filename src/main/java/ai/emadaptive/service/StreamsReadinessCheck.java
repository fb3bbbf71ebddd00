package ai.emadaptive.service;

import ai.emadaptive.pipeline.StreamContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports each stream's state (and last error) under readiness. A failed stream does not make the node unready:
 * the node still serves its other streams and accepts new ones; the pipeline missing (no model) does.
 */
@Readiness
@ApplicationScoped
public class StreamsReadinessCheck implements HealthCheck {
    private final PipelineService service;

    StreamsReadinessCheck(PipelineService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("streams");
        if (service.pipeline().isEmpty())
            return r.down().withData("pipeline", "not running: no model loaded").build();
        for (StreamContext s : service.pipeline().get().streams()) {
            String state = s.state().name();
            if (s.lastError() != null) state += ": " + s.lastError();
            r.withData(s.id(), state);
        }
        return r.up().build();
    }
}
