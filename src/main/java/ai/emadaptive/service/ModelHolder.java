package ai.emadaptive.service;

import ai.emadaptive.artifact.ArtifactException;
import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.artifact.EmbeddedModel;
import ai.emadaptive.artifact.ModelArtifact;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads the model once at start-up: the configured artifact, or the embedded default. A missing or corrupt artifact
 * does not stop the service: the error is kept and reported by readiness, so operators see why it is not ready.
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
        ModelArtifact loaded = null;
        String problem = null;
        String from;
        if (config.model().path().isPresent()) {
            from = config.model().path().get().toString();
            try {
                loaded = servable(ArtifactReader.read(config.model().path().get()));
            } catch (ArtifactException | IllegalArgumentException e) {
                problem = e.getMessage();
                loaded = null;
            }
        } else {
            from = "embedded:" + EmbeddedModel.RESOURCE;
            try {
                loaded = EmbeddedModel.read();
            } catch (ArtifactException e) {
                problem = "embedded default model unreadable: " + e.getMessage();
            }
        }
        if (problem == null) LOG.infof("model loaded from %s", from);
        else LOG.errorf("model not loaded: %s", problem);
        source = from;
        artifact = loaded;
        error = problem;
        for (var e : config.models().entrySet()) {
            String name = e.getKey();
            if (name.equals(ai.emadaptive.pipeline.Pipeline.DEFAULT_MODEL)) {
                namedErrors.put(name, "'default' is reserved for emadaptive.model.path");
                continue;
            }
            if (e.getValue().path().isEmpty()) {
                namedErrors.put(name, "no path configured");
                continue;
            }
            try {
                named.put(name, servable(ArtifactReader.read(e.getValue().path().get())));
                LOG.infof("model %s loaded from %s", name, e.getValue().path().get());
            } catch (ArtifactException | IllegalArgumentException ex) {
                namedErrors.put(name, ex.getMessage());
                LOG.errorf("model %s not loaded: %s", name, ex.getMessage());
            }
        }
    }

    /** Refuses now, so readiness says why, a model the pipeline could not serve (e.g. too many tools). */
    private static ModelArtifact servable(ModelArtifact model) {
        ai.emadaptive.routing.BatchRouter.requireServable(model.manifest());
        return model;
    }

    private final java.util.Map<String, ModelArtifact> named = new java.util.TreeMap<>();
    private final java.util.Map<String, String> namedErrors = new java.util.TreeMap<>();

    /** Further models that loaded, by name. */
    public java.util.Map<String, ModelArtifact> named() {
        return java.util.Collections.unmodifiableMap(named);
    }

    /** Further models that did not load, with the reason. */
    public java.util.Map<String, String> namedErrors() {
        return java.util.Collections.unmodifiableMap(namedErrors);
    }

    public Optional<ModelArtifact> artifact() {
        return Optional.ofNullable(artifact);
    }

    /** Why the model could not be loaded, if it could not. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    public Optional<String> source() {
        return Optional.ofNullable(source);
    }
}
