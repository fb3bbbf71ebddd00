package ai.emadaptive.support;

import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.ParamLayout;
import ai.emadaptive.model.Weights;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Weights for tests whose batch norms are not the identity, so folding and running statistics matter. */
public final class TestModels {
    private TestModels() {}

    public static Weights randomisedBatchNorm(ModelSpec spec, long seed) {
        Weights w = Weights.init(spec, seed);
        Random rnd = new Random(seed + 1);
        for (ParamLayout.Param p : new ParamLayout(spec).all()) {
            INDArray a = w.get(p.name());
            switch (p.kind()) {
                case BN_GAMMA, BN_VAR -> fill(a, rnd, 0.5, 1.5);
                case BN_BETA, BN_MEAN, BIAS -> fill(a, rnd, -0.1, 0.1);
                default -> {}
            }
        }
        return w;
    }

    private static void fill(INDArray a, Random rnd, double lo, double hi) {
        for (long i = 0; i < a.length(); i++) a.putScalar(i, lo + (hi - lo) * rnd.nextDouble());
    }
}
