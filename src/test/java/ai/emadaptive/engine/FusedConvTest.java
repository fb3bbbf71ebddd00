package ai.emadaptive.engine;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Ops;
import ai.emadaptive.model.Stem;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused oneDNN convolution against the unfused reference the engine runs today (libnd4j conv2d, then add and
 * ReLU as separate ops), on random weights: every post-op, both strides, 1x1 and 3x3 kernels, and a leading-rows
 * view of a larger buffer as the engine's plans use.
 */
class FusedConvTest {
    @Test
    void matchesTheUnfusedReference() {
        Nd4j.getRandom().setSeed(5);
        try (DnnlContext ctx = new DnnlContext()) {
            for (int k : new int[] {3, 1}) {
                for (int stride : new int[] {1, 2}) {
                    for (FusedConv.Post post : FusedConv.Post.values()) check(ctx, k, stride, post);
                }
            }
        }
    }

    /** The engine's stems read three NHWC channels into an NHWC map: oneDNN must run that on a fast kernel. */
    @Test
    void theStemsRunOnOptimisedKernels() {
        try (DnnlContext ctx = new DnnlContext();
                PackedWeights packs = new PackedWeights()) {
            for (Stem stem : Stem.values()) {
                if (!stem.maxPool) continue;
                int size = 96, out = ModelSpec.convOut(size, stem.kernel, stem.stride, stem.kernel / 2);
                INDArray x = Nd4j.rand(DataType.FLOAT, 1, size, size, 3),
                        w = Nd4j.rand(DataType.FLOAT, 16, stem.kernel, stem.kernel, 3),
                        b = Nd4j.rand(DataType.FLOAT, 16),
                        y = Nd4j.create(DataType.FLOAT, 1, out, out, 16);
                try (FusedConv conv = new FusedConv(
                        ctx, x, dnnl_nhwc, w, b, stem.stride, FusedConv.Post.RELU, y, dnnl_nhwc, packs, "stem")) {
                    assertFalse(conv.isReference(), stem + " stem on oneDNN's reference kernel");
                }
            }
        }
    }

    private static void check(DnnlContext ctx, int k, int stride, FusedConv.Post post) {
        int n = 3, h = 9, in = 16, out = 24, oh = (h + 2 * (k / 2) - k) / stride + 1;
        INDArray big = Nd4j.rand(DataType.FLOAT, n + 2, h, h, in).subi(0.5);
        // a view that starts at row 2 of a larger buffer: the primitive must read from the view's first element
        INDArray x = big.get(NDArrayIndex.interval(2, n + 2));
        INDArray w = Nd4j.rand(DataType.FLOAT, out, k, k, in).subi(0.5).muli(0.2),
                b = Nd4j.rand(DataType.FLOAT, out).subi(0.5);
        INDArray shortcut = Nd4j.rand(DataType.FLOAT, n, oh, oh, out).subi(0.5);

        INDArray expected = Nd4j.create(DataType.FLOAT, n, oh, oh, out);
        Ops.convOhwi(x, w, b, stride, expected).run();
        if (post == FusedConv.Post.SUM_RELU)
            Ops.add(expected, shortcut, expected).run();
        if (post != FusedConv.Post.NONE) Ops.relu(expected, expected).run();

        INDArray y = post == FusedConv.Post.SUM_RELU ? shortcut.dup() : Nd4j.create(DataType.FLOAT, n, oh, oh, out);
        try (FusedConv conv = new FusedConv(ctx, x, w, b, stride, post, y)) {
            conv.run();
            double max = Nd4j.getExecutioner()
                    .exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp(
                            y, expected, Nd4j.createUninitialized(DataType.FLOAT, y.shape())))[0]
                    .amaxNumber()
                    .doubleValue();
            assertTrue(max < 1e-4, k + "x" + k + " stride " + stride + " " + post + ": max difference " + max);
            if (post == FusedConv.Post.SUM_RELU) {
                // run again on a fresh shortcut: the primitive reads y anew each time
                y.assign(shortcut);
                conv.run();
                assertTrue(y.equalsWithEps(expected, 1e-4), post + " on a second run");
            }
        }
    }
}
