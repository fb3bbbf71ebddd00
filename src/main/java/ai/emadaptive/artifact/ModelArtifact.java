package ai.emadaptive.artifact;

import java.util.Objects;

import ai.emadaptive.model.Weights;

/** A trained model as shipped: its manifest and its weights, kept in one zip (see {@link ArtifactWriter}). */
public record ModelArtifact(Manifest manifest, Weights weights) {
    public ModelArtifact {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(weights, "weights");
        if (!manifest.spec().equals(weights.spec())) {
            throw new IllegalArgumentException("the manifest describes " + manifest.spec() + " but the weights are for " + weights.spec());
        }
    }
}
