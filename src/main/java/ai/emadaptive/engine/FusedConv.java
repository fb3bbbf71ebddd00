package ai.emadaptive.engine;

import static ai.emadaptive.engine.Dnnl.address;
import static ai.emadaptive.engine.Dnnl.check;
import static ai.emadaptive.engine.Dnnl.desc;
import static ai.emadaptive.engine.Dnnl.memory;
import static org.bytedeco.dnnl.global.dnnl.*;

import ai.emadaptive.model.FoldedWeights;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One convolution as a oneDNN primitive bound to fixed NHWC float32 arrays, made once: its weights are reordered once
 * into the layout the primitive chose (libnd4j's {@code conv2d} reorders them on every call, which at batch 1 costs
 * more than the arithmetic of the small late-stage maps), and the bias, ReLU and, for a residual block, the addition
 * of what {@code y} already holds run inside the convolution as post-ops. "Same" padding k/2, like the engine's.
 */
public final class FusedConv extends DnnlStep {
    /** What runs after the convolution and its bias, inside it. */
    public enum Post {
        /** nothing: y = conv(x) + b */
        NONE,
        /** y = max(conv(x) + b, 0) */
        RELU,
        /** y = max(conv(x) + b + y, 0): the residual addition of a block whose shortcut is already in y */
        SUM_RELU
    }

    private final PackedWeights own;
    // only when the caller's layout is not the one the primitive chose: the input copied into that layout first
    private Reorder inputReorder;
    private BytePointer reordered;
    private final boolean reference;

    /**
     * A convolution with its own copy of the packed weights.
     *
     * @param x      input [n, h, w, in], NHWC (a contiguous array or a leading-rows view of one)
     * @param wOhwi  weights [out, kH, kW, in] (as {@link FoldedWeights#conv} gives them)
     * @param bias   [out]
     * @param y      output [n, h', w', out]
     */
    public FusedConv(DnnlContext ctx, INDArray x, INDArray wOhwi, INDArray bias, int stride, Post post, INDArray y) {
        this(ctx, x, dnnl_nhwc, wOhwi, bias, stride, post, y, dnnl_nhwc, new PackedWeights(), "w", true);
    }

    /**
     * A convolution whose packed weights come from (and stay in) {@code packs} under {@code name}, reading {@code x}
     * and writing {@code y} in the given oneDNN layouts ({@code dnnl_nhwc}, or a channel-blocked layout whose data
     * only fills arrays shaped [n, h, w, c] of the same size). {@code xLayout} {@code dnnl_format_tag_any}: x is NHWC
     * and the primitive reads it in the layout it prefers, reordered on each run (the stem's three channels, which
     * oneDNN's fast kernels do not take as NHWC).
     */
    FusedConv(
            DnnlContext ctx,
            INDArray x,
            int xLayout,
            INDArray wOhwi,
            INDArray bias,
            int stride,
            Post post,
            INDArray y,
            int yLayout,
            PackedWeights packs,
            String name) {
        this(ctx, x, xLayout, wOhwi, bias, stride, post, y, yLayout, packs, name, false);
    }

    private FusedConv(
            DnnlContext ctx,
            INDArray x,
            int xLayout,
            INDArray wOhwi,
            INDArray bias,
            int stride,
            Post post,
            INDArray y,
            int yLayout,
            PackedWeights packs,
            String name,
            boolean ownsPacks) {
        super(ctx);
        this.own = ownsPacks ? packs : null;
        long n = x.size(0), h = x.size(1), w = x.size(2), in = x.size(3), out = wOhwi.size(0), k = wOhwi.size(1);
        long oh = y.size(1), ow = y.size(2);
        Pointer xp = address(x), wp = address(wOhwi), bp = address(bias), yp = address(y);
        dnnl_memory_desc_t src = desc(new long[] {n, in, h, w}, xLayout),
                dst = desc(new long[] {n, out, oh, ow}, yLayout);
        dnnl_memory_desc_t user = xLayout == dnnl_format_tag_any ? desc(new long[] {n, in, h, w}, dnnl_nhwc) : src;
        dnnl_memory_desc_t wAny = desc(new long[] {out, in, k, k}, dnnl_format_tag_any),
                wUser = desc(new long[] {out, in, k, k}, dnnl_ohwi);
        dnnl_memory_desc_t b = desc(new long[] {out}, dnnl_x);
        long pad = k / 2;
        dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
        check(
                dnnl_convolution_forward_desc_init(
                        cd,
                        dnnl_forward_inference,
                        dnnl_convolution_direct,
                        src,
                        wAny,
                        b,
                        dst,
                        new long[] {stride, stride},
                        new long[] {pad, pad},
                        new long[] {pad, pad}),
                "convolution");
        dnnl_primitive_desc pd =
                Dnnl.primitiveDesc(ctx, cd, Dnnl.postOps(post == Post.SUM_RELU, post != Post.NONE), "convolution");
        reference = Dnnl.implementation(pd).startsWith("ref");
        dnnl_memory_desc_t chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        Pointer packed = packs.get(ctx, name, chosen, wUser, wp);
        if (xLayout == dnnl_format_tag_any) {
            dnnl_memory_desc_t wanted = new dnnl_memory_desc_t();
            wanted.put(dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0));
            if (dnnl_memory_desc_equal(wanted, user) == 0) {
                reordered = new BytePointer(dnnl_memory_desc_get_size(wanted));
                inputReorder = new Reorder(ctx, user, xp, wanted, reordered);
                xp = reordered;
            }
            src = wanted;
        }
        bind(
                pd,
                new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                new dnnl_memory[] {
                    memory(ctx, src, xp), memory(ctx, chosen, packed), memory(ctx, b, bp), memory(ctx, dst, yp)
                },
                x,
                bias,
                y);
    }

    /** Whether oneDNN runs this shape and layout on its reference (unoptimised) kernel. */
    boolean isReference() {
        return reference;
    }

    @Override
    public void run() {
        if (inputReorder != null) inputReorder.run();
        super.run();
    }

    @Override
    public void close() {
        super.close();
        if (inputReorder != null) {
            inputReorder.close();
            reordered.close();
        }
        if (own != null) own.close();
    }
}
