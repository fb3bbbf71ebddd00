package ai.emadaptive.model;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Inference weights with every batch norm folded into the convolution before it:
 * w' = w * gamma / sqrt(var + eps) per output channel, b' = beta - mean * gamma / sqrt(var + eps).
 */
public final class FoldedWeights {
    public static final double BN_EPS = 1e-5;

    private final Weights source;
    private final Map<String, INDArray[]> convs = new HashMap<>();

    public FoldedWeights(Weights weights) {
        this.source = weights;
    }

    /** Folded {weights, bias} of the conv {@code convName} followed by the batch norm {@code bnPrefix}. */
    public INDArray[] conv(String convName, String bnPrefix) {
        return convs.computeIfAbsent(convName, k -> fold(source.get(convName), source, bnPrefix));
    }

    /** A tensor used as is (dense layers). */
    public INDArray plain(String name) {
        return source.get(name).castTo(DataType.FLOAT);
    }

    static INDArray[] fold(INDArray w, Weights weights, String bn) {
        INDArray gamma = weights.get(Names.gamma(bn)).castTo(DataType.DOUBLE);
        INDArray beta = weights.get(Names.beta(bn)).castTo(DataType.DOUBLE);
        INDArray mean = weights.get(Names.mean(bn)).castTo(DataType.DOUBLE);
        INDArray var = weights.get(Names.var(bn)).castTo(DataType.DOUBLE);
        INDArray scale = gamma.div(Transforms.sqrt(var.add(BN_EPS), false));
        long out = w.size(0);
        INDArray folded = w.castTo(DataType.DOUBLE)
                .reshape('c', out, w.length() / out)
                .mulColumnVector(scale.reshape(out, 1))
                .reshape('c', w.shape());
        INDArray bias = beta.sub(mean.mul(scale));
        return new INDArray[] {folded.permute(0, 2, 3, 1).castTo(DataType.FLOAT).dup('c'), bias.castTo(DataType.FLOAT)};
    }
}
