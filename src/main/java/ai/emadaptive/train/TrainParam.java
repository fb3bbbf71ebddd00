package ai.emadaptive.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A trainable tensor (shared with {@link ai.emadaptive.model.Weights}, updated in place) and its gradient. */
public record TrainParam(String name, INDArray value, INDArray grad) {
    public static TrainParam of(String name, INDArray value) {
        return new TrainParam(name, value, value.ulike());
    }
}
