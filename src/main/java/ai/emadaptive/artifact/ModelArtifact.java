package ai.emadaptive.artifact;

import ai.emadaptive.model.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A trained model as shipped: its manifest and its weights, kept in one zip (see {@link ArtifactWriter}). */
public record ModelArtifact(Manifest manifest, Weights weights) {
    public ModelArtifact {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(weights, "weights");
        if (!manifest.spec().equals(weights.spec())) {
            throw new IllegalArgumentException(
                    "the manifest describes " + manifest.spec() + " but the weights are for " + weights.spec());
        }
    }

    /**
     * This model as it will be once stored at {@code precision} and read back: its weights rounded the same way, so
     * whatever is computed from them (routers, an evaluation) holds for the file.
     */
    public ModelArtifact withWeightPrecision(WeightPrecision precision) {
        Map<String, INDArray> rounded = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : weights.all().entrySet()) {
            INDArray t = e.getValue();
            if (precision.halves(t.rank())) {
                float[] v = t.castTo(DataType.FLOAT).dup('c').data().asFloat();
                for (int i = 0; i < v.length; i++) v[i] = Half.toFloat(Half.fromFloat(v[i]));
                t = Nd4j.create(v, t.shape(), 'c');
            }
            rounded.put(e.getKey(), t);
        }
        return new ModelArtifact(manifest.withWeightPrecision(precision), new Weights(weights.spec(), rounded));
    }
}
