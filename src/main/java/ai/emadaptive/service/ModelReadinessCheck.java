package ai.emadaptive.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.nd4j.linalg.factory.Nd4j;

/** Ready when the ND4J backend runs and the configured model, if any, loaded. */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {
    private final ModelHolder models;

    ModelReadinessCheck(ModelHolder models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("model")
                .withData("backend", Nd4j.getBackend().getClass().getSimpleName());
        models.named()
                .forEach((name, a) -> r.withData(
                        "model." + name,
                        a.manifest().architecture().type() + " width "
                                + a.manifest().architecture().width()));
        models.namedErrors().forEach((name, why) -> r.withData("model." + name, "not loaded: " + why));
        if (models.error().isPresent()) {
            return r.down()
                    .withData("source", models.source().orElse(""))
                    .withData("error", models.error().get())
                    .build();
        }
        return models.artifact()
                .map(a -> r.up().withData("source", models.source().orElse(""))
                        .withData(
                                "architecture",
                                a.manifest().architecture().type() + " width "
                                        + a.manifest().architecture().width())
                        .withData("classes", a.manifest().classes().size()))
                .orElseGet(() -> r.down().withData("source", "none"))
                .build();
    }
}
