package ai.emadaptive.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One convolution as a oneDNN primitive bound to fixed NHWC float32 arrays, made once: its weights are reordered once
 * into the layout the primitive chose (libnd4j's {@code conv2d} reorders them on every call, which at batch 1 costs
 * more than the arithmetic of the small late-stage maps), and the bias, ReLU and, for a residual block, the addition
 * of what {@code y} already holds run inside the convolution as post-ops. "Same" padding k/2, like the engine's.
 *
 * <p>Not thread-safe: run it on one thread (its {@link Context}'s stream).
 */
public final class FusedConv implements AutoCloseable {
    /** What runs after the convolution and its bias, inside it. */
    public enum Post {
        /** nothing: y = conv(x) + b */
        NONE,
        /** y = max(conv(x) + b, 0) */
        RELU,
        /** y = max(conv(x) + b + y, 0): the residual addition of a block whose shortcut is already in y */
        SUM_RELU
    }

    /** A oneDNN CPU engine and a stream on it: one per inference thread. */
    public static final class Context implements AutoCloseable {
        final dnnl_engine engine;
        final dnnl_stream stream;

        public Context() {
            PointerPointer<Pointer> pp = new PointerPointer<>(1);
            check(dnnl_engine_create(pp, dnnl_cpu, 0), "engine");
            engine = new dnnl_engine(pp.get(0));
            check(dnnl_stream_create(pp, engine, dnnl_stream_default_flags), "stream");
            stream = new dnnl_stream(pp.get(0));
        }

        @Override
        public void close() {
            dnnl_stream_destroy(stream);
            dnnl_engine_destroy(engine);
        }
    }

    private final Context ctx;
    private final dnnl_primitive primitive;
    private final dnnl_exec_arg_t args = new dnnl_exec_arg_t(4);
    private final dnnl_memory[] memories = new dnnl_memory[4];
    private final BytePointer packedWeights;

    /**
     * @param x      input [n, h, w, in], NHWC (a contiguous array or a leading-rows view of one)
     * @param wOhwi  weights [out, kH, kW, in] (as {@link FoldedWeights#conv} gives them)
     * @param bias   [out]
     * @param y      output [n, h', w', out]
     */
    public FusedConv(Context ctx, INDArray x, INDArray wOhwi, INDArray bias, int stride, Post post, INDArray y) {
        this.ctx = ctx;
        long n = x.size(0), h = x.size(1), w = x.size(2), in = x.size(3), out = wOhwi.size(0), k = wOhwi.size(1);
        long oh = y.size(1), ow = y.size(2);
        for (INDArray a : new INDArray[] {x, wOhwi, bias, y}) {
            if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.elementWiseStride() != 1) {
                throw new IllegalArgumentException("contiguous float32 c-order arrays expected");
            }
        }
        dnnl_memory_desc_t src = desc(new long[] {n, in, h, w}, dnnl_nhwc), dst = desc(new long[] {n, out, oh, ow}, dnnl_nhwc);
        dnnl_memory_desc_t wAny = desc(new long[] {out, in, k, k}, dnnl_format_tag_any), wUser = desc(new long[] {out, in, k, k}, dnnl_ohwi);
        dnnl_memory_desc_t b = desc(new long[] {out}, dnnl_x);
        long pad = k / 2;
        dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
        check(dnnl_convolution_forward_desc_init(cd, dnnl_forward_inference, dnnl_convolution_direct, src, wAny, b, dst,
                new long[] {stride, stride}, new long[] {pad, pad}, new long[] {pad, pad}), "convolution");
        PointerPointer<Pointer> pp = new PointerPointer<>(1);
        check(dnnl_primitive_attr_create(pp), "attributes");
        dnnl_primitive_attr attr = new dnnl_primitive_attr(pp.get(0));
        check(dnnl_post_ops_create(pp), "post-ops");
        dnnl_post_ops ops = new dnnl_post_ops(pp.get(0));
        if (post == Post.SUM_RELU) check(dnnl_post_ops_append_sum(ops, 1f), "sum");
        if (post != Post.NONE) check(dnnl_post_ops_append_eltwise(ops, 1f, dnnl_eltwise_relu, 0f, 0f), "relu");
        check(dnnl_primitive_attr_set_post_ops(attr, ops), "post-ops");
        check(dnnl_primitive_desc_create(pp, new const_dnnl_op_desc_t(cd), attr, ctx.engine, null), "primitive descriptor");
        dnnl_primitive_desc pd = new dnnl_primitive_desc(pp.get(0));
        dnnl_post_ops_destroy(ops);
        dnnl_primitive_attr_destroy(attr);
        dnnl_memory_desc_t chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        packedWeights = new BytePointer(dnnl_memory_desc_get_size(chosen));
        memories[1] = memory(chosen, packedWeights);
        reorder(memory(wUser, address(wOhwi)), wUser, memories[1], chosen);
        check(dnnl_primitive_create(pp, pd), "primitive");
        primitive = new dnnl_primitive(pp.get(0));
        dnnl_primitive_desc_destroy(pd);
        memories[0] = memory(src, address(x));
        memories[2] = memory(b, address(bias));
        memories[3] = memory(dst, address(y));
        int[] kinds = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST};
        for (int i = 0; i < 4; i++) args.position(i).arg(kinds[i]).memory(memories[i]);
        args.position(0);
    }

    /** Runs the convolution on the arrays it was made with. */
    public void run() {
        check(dnnl_primitive_execute(primitive, ctx.stream, 4, args), "execute");
        check(dnnl_stream_wait(ctx.stream), "wait");
    }

    @Override
    public void close() {
        dnnl_primitive_destroy(primitive);
        for (dnnl_memory m : memories) if (m != null) dnnl_memory_destroy(m);
        packedWeights.close();
    }

    private void reorder(dnnl_memory from, dnnl_memory_desc_t fromDesc, dnnl_memory to, dnnl_memory_desc_t toDesc) {
        PointerPointer<Pointer> pp = new PointerPointer<>(1);
        check(dnnl_reorder_primitive_desc_create(pp, fromDesc, ctx.engine, toDesc, ctx.engine, null), "reorder descriptor");
        dnnl_primitive_desc rpd = new dnnl_primitive_desc(pp.get(0));
        check(dnnl_primitive_create(pp, rpd), "reorder");
        dnnl_primitive r = new dnnl_primitive(pp.get(0));
        dnnl_exec_arg_t a = new dnnl_exec_arg_t(2);
        a.position(0).arg(DNNL_ARG_FROM).memory(from);
        a.position(1).arg(DNNL_ARG_TO).memory(to);
        check(dnnl_primitive_execute(r, ctx.stream, 2, a.position(0)), "reorder");
        check(dnnl_stream_wait(ctx.stream), "wait");
        dnnl_primitive_destroy(r);
        dnnl_primitive_desc_destroy(rpd);
        dnnl_memory_destroy(from);
    }

    private dnnl_memory memory(dnnl_memory_desc_t desc, Pointer data) {
        PointerPointer<Pointer> pp = new PointerPointer<>(1);
        check(dnnl_memory_create(pp, desc, ctx.engine, data), "memory");
        return new dnnl_memory(pp.get(0));
    }

    /** Where an array's first element lives (a view's offset included). */
    private static Pointer address(INDArray a) {
        long at = a.data().addressPointer().address() + a.offset() * Float.BYTES;
        return new Pointer() {
            {
                address = at;
            }
        };
    }

    private static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t d = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(d, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return d;
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) throw new IllegalStateException("oneDNN " + what + " failed: status " + status);
    }
}
