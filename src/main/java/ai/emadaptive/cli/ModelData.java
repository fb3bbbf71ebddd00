package ai.emadaptive.cli;

import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.routing.FeatureCache;
import ai.emadaptive.routing.RouterSet;
import ai.emadaptive.routing.Uncertainty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A model artifact with the data it is evaluated on, loaded the same way by routers, evaluate and sweep; {@code heldOut}
 * is null unless training images were held out for the routers, and {@code train} too when only the test set was
 * loaded.
 */
record ModelData(
        ModelArtifact artifact,
        Normalisation norm,
        ImageSet train,
        ImageSet test,
        ImageSet heldOut,
        RouterSet routers) {

    /** The model with its test set only ({@code train} and {@code heldOut} null): for evaluate and sweep. */
    static ModelData loadForScoring(Path model, DataSetOptions data) throws IOException {
        ModelArtifact a = ArtifactReader.read(model);
        return of(a, null, data.loadTest(a.manifest()), null);
    }

    static ModelData load(Path model, DataSetOptions data) throws IOException {
        ModelArtifact a = ArtifactReader.read(model);
        ImageSet[] sets = data.load(a.manifest());
        return of(a, sets[0], sets[1], sets[2]);
    }

    /** The model's uncertainty calibration, or null. */
    Uncertainty uncertainty() {
        JsonNode u = artifact.manifest().uncertainty();
        return u == null ? null : Uncertainty.fromJson(u);
    }

    /** The model's feature cache of {@code set}, scored by its task (and its thresholds, multi-label). */
    FeatureCache cache(ImageSet set, boolean withFeatures) {
        Manifest m = artifact.manifest();
        return FeatureCache.of(artifact.weights(), set, norm, 64, withFeatures, m.task(), m.thresholdArray());
    }

    private static ModelData of(ModelArtifact a, ImageSet train, ImageSet test, ImageSet heldOut) {
        Normalisation norm = new Normalisation(
                a.manifest().input().mean(), a.manifest().input().std());
        RouterSet routers = a.manifest().routers() == null
                ? null
                : RouterSet.fromJson(a.manifest().routers());
        return new ModelData(a, norm, train, test, heldOut, routers);
    }
}
