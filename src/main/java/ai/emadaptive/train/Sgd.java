package ai.emadaptive.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SGD with momentum (optionally Nesterov) and L2 weight decay, as PyTorch defines them:
 * g' = g + wd * w; v = mu * v + g'; w -= lr * (nesterov ? g' + mu * v : v).
 */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final Map<String, INDArray> velocity = new LinkedHashMap<>();

    public Sgd(double momentum, double weightDecay, boolean nesterov) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public void step(List<TrainParam> params, double lr) {
        var blas = Nd4j.getBlasWrapper().level1();
        for (TrainParam p : params) {
            INDArray w = p.value();
            INDArray g = p.grad();
            if (weightDecay != 0) blas.axpy(w.length(), weightDecay, w, g);
            INDArray v = velocity.computeIfAbsent(p.name(), k -> w.ulike().assign(0));
            v.muli(momentum).addi(g);
            if (nesterov) {
                blas.axpy(w.length(), -lr, g, w);
                blas.axpy(w.length(), -lr * momentum, v, w);
            } else {
                blas.axpy(w.length(), -lr, v, w);
            }
        }
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        velocity.forEach((k, v) -> m.put("velocity/" + k, v));
        return m;
    }

    @Override
    public void load(Map<String, INDArray> saved) {
        saved.forEach((k, v) -> {
            if (!k.startsWith("velocity/")) throw new IllegalArgumentException("not SGD state: " + k);
            velocity.put(k.substring("velocity/".length()), v.dup());
        });
    }
}
