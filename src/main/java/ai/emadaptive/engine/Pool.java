package ai.emadaptive.engine;

import static ai.emadaptive.engine.Dnnl.address;
import static ai.emadaptive.engine.Dnnl.check;
import static ai.emadaptive.engine.Dnnl.desc;
import static ai.emadaptive.engine.Dnnl.memory;
import static org.bytedeco.dnnl.global.dnnl.*;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A oneDNN pooling primitive over a [n, h, w, c] map: the global mean (to [n, c]) or the stem's 3x3 stride-2 max. */
final class Pool extends DnnlStep {
    private Pool(
            DnnlContext ctx,
            INDArray x,
            int xLayout,
            INDArray y,
            int yLayout,
            int dataType,
            long[] outDims,
            int kind,
            long kernel,
            long stride,
            long pad) {
        super(ctx);
        long n = x.size(0), h = x.size(1), w = x.size(2), c = x.size(3);
        Pointer xp = address(x), yp = address(y);
        dnnl_memory_desc_t src = desc(new long[] {n, c, h, w}, dataType, xLayout),
                dst = desc(outDims, dataType, yLayout);
        long kh = kernel < 0 ? h : kernel, kw = kernel < 0 ? w : kernel;
        dnnl_pooling_desc_t pool = new dnnl_pooling_desc_t();
        check(
                dnnl_pooling_forward_desc_init(
                        pool,
                        dnnl_forward_inference,
                        kind,
                        src,
                        dst,
                        new long[] {stride, stride},
                        new long[] {kh, kw},
                        new long[] {pad, pad},
                        new long[] {pad, pad}),
                "pooling");
        bind(
                Dnnl.primitiveDesc(ctx, pool, null, "pooling"),
                new int[] {DNNL_ARG_SRC, DNNL_ARG_DST},
                new dnnl_memory[] {memory(ctx, src, xp), memory(ctx, dst, yp)},
                x,
                y);
    }

    /**
     * Global average pooling: x [n, h, w, c] in {@code xLayout} to y [n, c]. The output keeps x's layout (oneDNN's
     * fast kernels do not change layout), which for a 1x1 map with whole blocks of channels is y's plain [n, c].
     */
    static Pool mean(DnnlContext ctx, INDArray x, int xLayout, INDArray y) {
        if (y.rank() != 2 || y.size(0) != x.size(0) || y.size(1) != x.size(3))
            throw new IllegalArgumentException("output must be [n, c]");
        return new Pool(
                ctx,
                x,
                xLayout,
                y,
                xLayout,
                dnnl_f32,
                new long[] {x.size(0), x.size(3), 1, 1},
                dnnl_pooling_avg_exclude_padding,
                -1,
                1,
                0);
    }

    /**
     * 3x3 max pooling, stride 2, padding 1 (the ImageNet stem's) of a map that holds no negative numbers (it follows a
     * ReLU), both maps NHWC. The floats are compared as 32-bit integers, which orders non-negative floats exactly as
     * their values: oneDNN's integer max pooling runs about twice as fast as its float kernel on this map, and for
     * float32 NHWC or blocked maps oneDNN has no faster one. A ReLU may leave -0.0, whose bits are the least integer:
     * a window of zeros still yields a zero. The result is bit-identical to the float pooling of the same map.
     */
    static Pool max3x3NonNegative(DnnlContext ctx, INDArray x, INDArray y) {
        return new Pool(
                ctx,
                x,
                dnnl_nhwc,
                y,
                dnnl_nhwc,
                dnnl_s32,
                new long[] {y.size(0), y.size(3), y.size(1), y.size(2)},
                dnnl_pooling_max,
                3,
                2,
                1);
    }
}
