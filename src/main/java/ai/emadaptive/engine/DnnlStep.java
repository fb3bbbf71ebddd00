package ai.emadaptive.engine;

import static ai.emadaptive.engine.Dnnl.check;
import static org.bytedeco.dnnl.global.dnnl.*;

import ai.emadaptive.model.Ops;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A oneDNN primitive bound once to its memories: running it is one native call with arguments prepared at
 * construction, nothing allocated. Not thread-safe: it runs on its {@link DnnlContext}'s stream.
 */
abstract class DnnlStep implements Ops.Step, AutoCloseable {
    private final DnnlContext ctx;
    private dnnl_primitive primitive;
    private dnnl_exec_arg_t args;
    private dnnl_memory[] memories;
    // the arrays whose memory the primitive reads and writes: held here so the garbage collector cannot free them
    // (oneDNN holds their addresses, not the arrays)
    private Object[] bound;

    DnnlStep(DnnlContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Makes the primitive of {@code pd} (then freed) and binds it to the memories, one per argument kind; {@code
     * arrays} are the ND4J arrays (or buffers) those memories point into, kept alive with the primitive.
     */
    final void bind(dnnl_primitive_desc pd, int[] kinds, dnnl_memory[] memories, Object... arrays) {
        this.bound = arrays;
        PointerPointer<Pointer> pp = new PointerPointer<>(1);
        check(dnnl_primitive_create(pp, pd), "primitive");
        primitive = new dnnl_primitive(pp.get(0));
        dnnl_primitive_desc_destroy(pd);
        this.memories = memories;
        args = new dnnl_exec_arg_t(kinds.length);
        for (int i = 0; i < kinds.length; i++) args.position(i).arg(kinds[i]).memory(memories[i]);
        args.position(0);
    }

    final DnnlContext ctx() {
        return ctx;
    }

    @Override
    public void run() {
        check(dnnl_primitive_execute(primitive, ctx.stream, memories.length, args), "execute");
        check(dnnl_stream_wait(ctx.stream), "wait");
    }

    @Override
    public void close() {
        if (primitive == null) return;
        dnnl_primitive_destroy(primitive);
        primitive = null;
        for (dnnl_memory m : memories) if (m != null) dnnl_memory_destroy(m);
        bound = null;
    }
}
