package ai.emadaptive.train;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Updates parameters in place from their gradients. */
public interface Optimizer {
    void step(List<TrainParam> params, double lr);

    /** The optimiser's state tensors by name (for checkpoints); live arrays, not copies. */
    Map<String, INDArray> state();

    /** Restores state saved from {@link #state()} of an optimiser of the same kind. */
    void load(Map<String, INDArray> saved);
}
