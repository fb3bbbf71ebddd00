package ai.emadaptive.engine;

import static ai.emadaptive.engine.Dnnl.address;
import static ai.emadaptive.engine.Dnnl.check;
import static ai.emadaptive.engine.Dnnl.desc;
import static ai.emadaptive.engine.Dnnl.memory;
import static org.bytedeco.dnnl.global.dnnl.*;

import org.bytedeco.dnnl.dnnl_inner_product_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** y = x . w + b (then ReLU if asked) for x [n, in], w [in, out], b [out], as one oneDNN inner product with packed weights. */
final class FusedDense extends DnnlStep {
    FusedDense(
            DnnlContext ctx,
            INDArray x,
            INDArray w,
            INDArray b,
            boolean relu,
            INDArray y,
            PackedWeights packs,
            String name) {
        super(ctx);
        long n = x.size(0), in = w.size(0), out = w.size(1);
        if (x.size(1) != in || y.size(0) != n || y.size(1) != out)
            throw new IllegalArgumentException("shapes do not match");
        Pointer xp = address(x), wp = address(w), bp = address(b), yp = address(y);
        dnnl_memory_desc_t src = desc(new long[] {n, in}, dnnl_nc), dst = desc(new long[] {n, out}, dnnl_nc);
        dnnl_memory_desc_t wAny = desc(new long[] {out, in}, dnnl_format_tag_any),
                wUser = desc(new long[] {out, in}, dnnl_io);
        dnnl_memory_desc_t bias = desc(new long[] {out}, dnnl_x);
        dnnl_inner_product_desc_t ip = new dnnl_inner_product_desc_t();
        check(dnnl_inner_product_forward_desc_init(ip, dnnl_forward_inference, src, wAny, bias, dst), "inner product");
        dnnl_primitive_desc pd = Dnnl.primitiveDesc(ctx, ip, Dnnl.postOps(false, relu), "inner product");
        dnnl_memory_desc_t chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        Pointer packed = packs.get(ctx, name, chosen, wUser, wp);
        bind(
                pd,
                new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                new dnnl_memory[] {
                    memory(ctx, src, xp), memory(ctx, chosen, packed), memory(ctx, bias, bp), memory(ctx, dst, yp)
                },
                x,
                b,
                y);
    }
}
