package ai.emadaptive.train;

import java.util.List;

/** Updates parameters in place from their gradients. */
public interface Optimizer {
    void step(List<TrainParam> params, double lr);
}
