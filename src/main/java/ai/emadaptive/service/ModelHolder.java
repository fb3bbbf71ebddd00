package ai.emadaptive.service;

import java.util.Optional;

import ai.emadaptive.artifact.ArtifactException;
import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.artifact.ModelArtifact;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads the configured model artifact once at start-up. A missing or corrupt artifact does not stop the service:
 * the error is kept and reported by readiness, so operators see why it is not ready.
 */
@Startup
@ApplicationScoped
public class ModelHolder {
    private static final Logger LOG = Logger.getLogger(ModelHolder.class);

    private final ModelArtifact artifact;
    private final String error;
    private final String source;

    ModelHolder(ServiceConfig config) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        source = config.model().path().map(Object::toString).orElse(null);
        ModelArtifact loaded = null;
        String problem = null;
        if (source != null) {
            try {
                loaded = ArtifactReader.read(config.model().path().get());
                LOG.infof("model loaded from %s", source);
            } catch (ArtifactException e) {
                problem = e.getMessage();
                LOG.errorf("model not loaded: %s", problem);
            }
        }
        artifact = loaded;
        error = problem;
    }

    public Optional<ModelArtifact> artifact() {
        return Optional.ofNullable(artifact);
    }

    /** Why the configured model could not be loaded, if it could not. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    public Optional<String> source() {
        return Optional.ofNullable(source);
    }
}
