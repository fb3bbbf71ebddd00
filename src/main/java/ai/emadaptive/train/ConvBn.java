package ai.emadaptive.train;

import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.Ops;
import ai.emadaptive.model.Weights;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolution (no bias) followed by batch norm, NHWC. In training mode the batch statistics normalise and the
 * running statistics follow them with momentum 0.1 (PyTorch's convention); in inference mode the running ones.
 */
final class ConvBn {
    static final double MOMENTUM = 0.1;

    private final int stride;
    private final TrainParam w;
    private final TrainParam gamma;
    private final TrainParam beta;
    private final INDArray runMean;
    private final INDArray runVar;
    private final INDArray mean;
    private final INDArray var;
    private final INDArray gMean;
    private final INDArray gVar;

    private INDArray x;
    private INDArray z;
    private INDArray y;
    private INDArray gz;
    private INDArray gx;

    ConvBn(Weights weights, String conv, String bn, int stride) {
        this.stride = stride;
        this.w = TrainParam.of(conv, weights.get(conv));
        this.gamma = TrainParam.of(Names.gamma(bn), weights.get(Names.gamma(bn)));
        this.beta = TrainParam.of(Names.beta(bn), weights.get(Names.beta(bn)));
        this.runMean = weights.get(Names.mean(bn));
        this.runVar = weights.get(Names.var(bn));
        this.mean = runMean.ulike();
        this.var = runVar.ulike();
        this.gMean = runMean.ulike();
        this.gVar = runVar.ulike();
    }

    List<TrainParam> params() {
        return List.of(w, gamma, beta);
    }

    INDArray forward(INDArray input, boolean train) {
        x = input;
        long n = input.size(0);
        long k = w.value().size(2);
        long oh = (input.size(1) + 2 * (k / 2) - k) / stride + 1;
        long ow = (input.size(2) + 2 * (k / 2) - k) / stride + 1;
        long c = w.value().size(0);
        z = Buffers.ensure(z, input.dataType(), n, oh, ow, c);
        y = Buffers.ensure(y, input.dataType(), n, oh, ow, c);
        Ops.conv(input, w.value(), null, stride, z).run();
        if (train) {
            if (BatchNormKernels.supports(z)) BatchNormKernels.moments(z, mean, var);
            else Ops.channelMoments(z, mean, var).run();
            Ops.batchNorm(z, mean, var, gamma.value(), beta.value(), FoldedWeights.BN_EPS, y)
                    .run();
            long count = n * oh * ow;
            // running variance is the unbiased estimate, as in PyTorch
            runMean.muli(1 - MOMENTUM).addi(mean.mul(MOMENTUM));
            runVar.muli(1 - MOMENTUM).addi(var.mul(MOMENTUM * count / Math.max(1, count - 1)));
        } else {
            Ops.batchNorm(z, runMean, runVar, gamma.value(), beta.value(), FoldedWeights.BN_EPS, y)
                    .run();
        }
        return y;
    }

    /** Gradient with respect to the input; parameter gradients are written into their {@link TrainParam}s. */
    INDArray backward(INDArray gy) {
        gz = Buffers.ensure(gz, z.dataType(), z.shape());
        gx = Buffers.ensure(gx, x.dataType(), x.shape());
        if (BatchNormKernels.supports(z, gy, gz)) {
            BatchNormKernels.backward(
                    z, mean, var, gamma.value(), gy, FoldedWeights.BN_EPS, gz, gamma.grad(), beta.grad());
        } else {
            Ops.batchNormBackward(
                            z,
                            mean,
                            var,
                            gamma.value(),
                            beta.value(),
                            gy,
                            FoldedWeights.BN_EPS,
                            gz,
                            gMean,
                            gVar,
                            gamma.grad(),
                            beta.grad())
                    .run();
        }
        Ops.convBackward(x, w.value(), gz, stride, gx, w.grad()).run();
        return gx;
    }
}
