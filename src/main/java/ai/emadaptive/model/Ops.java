package ai.emadaptive.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * libnd4j operations bound to fixed arrays, built once and executed many times. Calling the ops directly
 * (rather than through DL4J layers or a SameDiff graph) reaches oneDNN and skips per-call graph bookkeeping.
 * All activations are NHWC: oneDNN runs NHWC convolutions without reordering (about 1.6x faster here than NCHW).
 * Convolution weights are [out, in, kH, kW] (libnd4j weight format 1).
 */
public final class Ops {
    private Ops() {}

    /** One prepared operation. */
    @FunctionalInterface
    public interface Step {
        void run();
    }

    /**
     * Runs {@code op} through a native context filled once. {@code exec(op)} alone builds, fills and frees a context
     * on every call (a dozen Java objects and JNI calls per op, a third of the allocation of a streaming frame).
     */
    private static Step prepared(DynamicCustomOp op) {
        OpContext ctx = Nd4j.getExecutioner().buildContext();
        ctx.setInputArrays(op.inputArguments());
        ctx.setOutputArrays(op.outputArguments());
        ctx.setIArguments(op.iArgs());
        ctx.setTArguments(op.tArgs());
        ctx.setBArguments(op.bArgs());
        return () -> Nd4j.getExecutioner().exec(op, ctx);
    }

    private static final int NHWC = 1;
    private static final int W_OIHW = 1;

    private static final int W_OHWI = 2;

    private static int[] convArgs(INDArray w, int stride) {
        int k = (int) w.size(2);
        int pad = k / 2;
        return new int[] {k, k, stride, stride, pad, pad, 1, 1, 0, NHWC, W_OIHW};
    }

    /** y = conv(x, w) + b with w laid out [out, kH, kW, in]: oneDNN reorders this layout faster per call. */
    public static Step convOhwi(INDArray x, INDArray w, INDArray b, int stride, INDArray y) {
        int k = (int) w.size(1);
        int pad = k / 2;
        DynamicCustomOp built = DynamicCustomOp.builder("conv2d")
                .addInputs(x, w, b)
                .addOutputs(y)
                .addIntegerArguments(k, k, stride, stride, pad, pad, 1, 1, 0, NHWC, W_OHWI)
                .build();
        return prepared(built);
    }

    /** y = conv(x, w) (+ b when b is not null), explicit padding k/2. */
    public static Step conv(INDArray x, INDArray w, INDArray b, int stride, INDArray y) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
        if (b == null) op.addInputs(x, w);
        else op.addInputs(x, w, b);
        DynamicCustomOp built =
                op.addOutputs(y).addIntegerArguments(convArgs(w, stride)).build();
        return prepared(built);
    }

    /** Gradients of {@link #conv} without bias: gx and gw from x, w and gy. */
    public static Step convBackward(INDArray x, INDArray w, INDArray gy, int stride, INDArray gx, INDArray gw) {
        DynamicCustomOp built = DynamicCustomOp.builder("conv2d_bp")
                .addInputs(x, w, gy)
                .addOutputs(gx, gw)
                .addIntegerArguments(convArgs(w, stride))
                .build();
        return prepared(built);
    }

    /** 3x3 max pool, stride 2, padding 1 (the ImageNet stem). */
    public static Step maxPool(INDArray x, INDArray y) {
        DynamicCustomOp built = DynamicCustomOp.builder("maxpool2d")
                .addInputs(x)
                .addOutputs(y)
                .addIntegerArguments(3, 3, 2, 2, 1, 1, 1, 1, 0, 0, NHWC)
                .build();
        return prepared(built);
    }

    public static Step maxPoolBackward(INDArray x, INDArray gy, INDArray gx) {
        DynamicCustomOp built = DynamicCustomOp.builder("maxpool2d_bp")
                .addInputs(x, gy)
                .addOutputs(gx)
                .addIntegerArguments(3, 3, 2, 2, 1, 1, 1, 1, 0, 0, NHWC)
                .build();
        return prepared(built);
    }

    /** y = max(x, 0); x and y may be the same array. */
    public static Step relu(INDArray x, INDArray y) {
        DynamicCustomOp built = DynamicCustomOp.builder("relu")
                .addInputs(x)
                .addOutputs(y)
                .addFloatingPointArguments(0.0)
                .build();
        return prepared(built);
    }

    /** gx = gy where x > 0, else 0. */
    public static Step reluBackward(INDArray x, INDArray gy, INDArray gx) {
        DynamicCustomOp built = DynamicCustomOp.builder("relu_bp")
                .addInputs(x, gy)
                .addOutputs(gx)
                .addFloatingPointArguments(0.0)
                .build();
        return prepared(built);
    }

    /** z = x + y; z may be x or y. */
    public static Step add(INDArray x, INDArray y, INDArray z) {
        return prepared(
                DynamicCustomOp.builder("add").addInputs(x, y).addOutputs(z).build());
    }

    /** Global average pool of an NHWC map into [n, C]. */
    public static Step globalAvgPool(INDArray x, INDArray y) {
        return prepared(DynamicCustomOp.builder("reduce_mean")
                .addInputs(x)
                .addOutputs(y)
                .addIntegerArguments(1, 2)
                .build());
    }

    /** y = x . w + b for x [n, in], w [in, out], b [out]. */
    public static Step dense(INDArray x, INDArray w, INDArray b, INDArray y) {
        DynamicCustomOp built = DynamicCustomOp.builder("xw_plus_b")
                .addInputs(x, w, b)
                .addOutputs(y)
                .build();
        return prepared(built);
    }

    /** y = gamma * (x - mean) / sqrt(var + eps) + beta over the channel (last) axis. */
    public static Step batchNorm(
            INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, double eps, INDArray y) {
        DynamicCustomOp built = DynamicCustomOp.builder("batchnorm")
                .addInputs(x, mean, var, gamma, beta)
                .addOutputs(y)
                .addFloatingPointArguments(eps)
                .addIntegerArguments(1, 1, (int) x.rank() - 1)
                .build();
        return prepared(built);
    }

    /**
     * Training-mode batch norm gradients (mean and var are the batch statistics of x, and the gradient flows
     * through them): gx, gGamma, gBeta from x and gy. gMean and gVar are scratch outputs of the op.
     */
    public static Step batchNormBackward(
            INDArray x,
            INDArray mean,
            INDArray var,
            INDArray gamma,
            INDArray beta,
            INDArray gy,
            double eps,
            INDArray gx,
            INDArray gMean,
            INDArray gVar,
            INDArray gGamma,
            INDArray gBeta) {
        DynamicCustomOp built = DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(x, mean, var, gamma, beta, gy)
                .addOutputs(gx, gMean, gVar, gGamma, gBeta)
                .addFloatingPointArguments(eps)
                .addIntegerArguments(1, 1, (int) x.rank() - 1)
                .build();
        return prepared(built);
    }

    /** Per-channel mean and (biased) variance of an NHWC map over batch and space. */
    public static Step channelMoments(INDArray x, INDArray mean, INDArray var) {
        DynamicCustomOp built = DynamicCustomOp.builder("moments")
                .addInputs(x)
                .addOutputs(mean, var)
                .addIntegerArguments(0, 1, 2)
                .build();
        return prepared(built);
    }

    public static Step sequence(Step... steps) {
        Step[] copy = steps.clone();
        return () -> {
            for (Step s : copy) s.run();
        };
    }
}
