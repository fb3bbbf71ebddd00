package ai.emadaptive.train;

import java.util.LinkedHashMap;
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
    private final Map<String, INDArray[]> moments = new LinkedHashMap<>();
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
            INDArray[] mv = moments.computeIfAbsent(p.name(), k ->
                    new INDArray[] {w.ulike().assign(0), w.ulike().assign(0)});
            mv[0].muli(beta1).addi(g.mul(1 - beta1));
            mv[1].muli(beta2).addi(g.mul(g).muli(1 - beta2));
            // w -= stepSize * m / (sqrt(v) + eps * sqrt(c2)): the bias-corrected update with eps on the corrected v
            INDArray denom = Transforms.sqrt(mv[1], true).addi(eps * Math.sqrt(c2));
            w.subi(mv[0].div(denom).muli(stepSize));
        }
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("t", org.nd4j.linalg.factory.Nd4j.scalar((double) t));
        moments.forEach((k, v) -> {
            m.put("m/" + k, v[0]);
            m.put("v/" + k, v[1]);
        });
        return m;
    }

    @Override
    public void load(Map<String, INDArray> saved) {
        saved.forEach((k, v) -> {
            if (k.equals("t")) t = v.getLong(0);
            else if (k.startsWith("m/")) moments.computeIfAbsent(k.substring(2), n -> new INDArray[2])[0] = v.dup();
            else if (k.startsWith("v/")) moments.computeIfAbsent(k.substring(2), n -> new INDArray[2])[1] = v.dup();
            else throw new IllegalArgumentException("not Adam state: " + k);
        });
    }
}
