package ai.emadaptive.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Adam (Kingma and Ba) with bias correction and optional L2 weight decay added to the gradient. */
public final class Adam implements Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<INDArray, INDArray[]> moments = new IdentityHashMap<>();
    private long t;

    public Adam(double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    public Adam() {
        this(0.9, 0.999, 1e-8, 0);
    }

    @Override
    public void step(List<TrainParam> params, double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double stepSize = lr * Math.sqrt(c2) / c1;
        var blas = Nd4j.getBlasWrapper().level1();
        for (TrainParam p : params) {
            INDArray w = p.value();
            INDArray g = p.grad();
            if (weightDecay != 0) blas.axpy(w.length(), weightDecay, w, g);
            INDArray[] mv = moments.computeIfAbsent(w, k -> new INDArray[] {k.ulike().assign(0), k.ulike().assign(0)});
            mv[0].muli(beta1).addi(g.mul(1 - beta1));
            mv[1].muli(beta2).addi(g.mul(g).muli(1 - beta2));
            // w -= stepSize * m / (sqrt(v) + eps * sqrt(c2)): the bias-corrected update with eps on the corrected v
            INDArray denom = Transforms.sqrt(mv[1], true).addi(eps * Math.sqrt(c2));
            w.subi(mv[0].div(denom).muli(stepSize));
        }
    }
}
