package ai.emadaptive.engine;

import static ai.emadaptive.engine.Dnnl.address;
import static ai.emadaptive.engine.Dnnl.check;
import static ai.emadaptive.engine.Dnnl.desc;
import static ai.emadaptive.engine.Dnnl.memory;
import static org.bytedeco.dnnl.global.dnnl.*;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies a tensor from one oneDNN layout into another, between fixed buffers. */
final class Reorder extends DnnlStep {
    Reorder(DnnlContext ctx, dnnl_memory_desc_t fromDesc, Pointer from, dnnl_memory_desc_t toDesc, Pointer to) {
        super(ctx);
        PointerPointer<Pointer> pp = new PointerPointer<>(1);
        check(
                dnnl_reorder_primitive_desc_create(pp, fromDesc, ctx.engine, toDesc, ctx.engine, null),
                "reorder descriptor");
        bind(new dnnl_primitive_desc(pp.get(0)), new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, new dnnl_memory[] {
            memory(ctx, fromDesc, from), memory(ctx, toDesc, to)
        });
    }

    /** From x, an [n, h, w, c] array holding its map in {@code xLayout}, into y of the same shape in {@code yLayout}. */
    static Reorder between(DnnlContext ctx, INDArray x, int xLayout, INDArray y, int yLayout) {
        long[] dims = {x.size(0), x.size(3), x.size(1), x.size(2)};
        return new Reorder(ctx, desc(dims, xLayout), address(x), desc(dims, yLayout), address(y));
    }
}
