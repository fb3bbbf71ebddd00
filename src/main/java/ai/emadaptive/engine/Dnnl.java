package ai.emadaptive.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The few oneDNN C calls the engine's primitives share: descriptors, memories over ND4J arrays, errors. */
final class Dnnl {
    private Dnnl() {}

    static void check(int status, String what) {
        if (status != dnnl_success) throw new IllegalStateException("oneDNN " + what + " failed: status " + status);
    }

    static dnnl_memory_desc_t desc(long[] dims, int tag) {
        return desc(dims, dnnl_f32, tag);
    }

    static dnnl_memory_desc_t desc(long[] dims, int dataType, int tag) {
        dnnl_memory_desc_t d = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(d, dims.length, dims, dataType, tag), "memory descriptor");
        return d;
    }

    static dnnl_memory memory(DnnlContext ctx, dnnl_memory_desc_t desc, Pointer data) {
        PointerPointer<Pointer> pp = new PointerPointer<>(1);
        check(dnnl_memory_create(pp, desc, ctx.engine, data), "memory");
        return new dnnl_memory(pp.get(0));
    }

    /** Where a contiguous float32 array's first element lives (a view's offset included). */
    static Pointer address(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("contiguous float32 c-order arrays expected");
        }
        // a view's buffer already points at the view's first element (its offset); add only what it does not cover
        long at = a.data().addressPointer().address() + (a.offset() - a.data().offset()) * Float.BYTES;
        return new Pointer() {
            {
                address = at;
            }
        };
    }

    /** Attributes with an optional sum (residual addition into dst) and an optional ReLU after it. */
    static dnnl_primitive_attr postOps(boolean sum, boolean relu) {
        PointerPointer<Pointer> pp = new PointerPointer<>(1);
        check(dnnl_primitive_attr_create(pp), "attributes");
        dnnl_primitive_attr attr = new dnnl_primitive_attr(pp.get(0));
        check(dnnl_post_ops_create(pp), "post-ops");
        dnnl_post_ops ops = new dnnl_post_ops(pp.get(0));
        if (sum) check(dnnl_post_ops_append_sum(ops, 1f), "sum");
        if (relu) check(dnnl_post_ops_append_eltwise(ops, 1f, dnnl_eltwise_relu, 0f, 0f), "relu");
        check(dnnl_primitive_attr_set_post_ops(attr, ops), "post-ops");
        dnnl_post_ops_destroy(ops);
        return attr;
    }

    /** The name of the implementation oneDNN chose for a primitive descriptor ("jit:avx2", "ref:any", ...). */
    static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> pp = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, pp), "implementation");
        return pp.get(BytePointer.class, 0).getString();
    }

    /** The primitive descriptor of an operation descriptor with the given attributes (freed here; null: none). */
    static dnnl_primitive_desc primitiveDesc(DnnlContext ctx, Pointer opDesc, dnnl_primitive_attr attr, String what) {
        PointerPointer<Pointer> pp = new PointerPointer<>(1);
        try {
            check(
                    dnnl_primitive_desc_create(pp, new const_dnnl_op_desc_t(opDesc), attr, ctx.engine, null),
                    what + " descriptor");
        } finally {
            if (attr != null) dnnl_primitive_attr_destroy(attr);
        }
        return new dnnl_primitive_desc(pp.get(0));
    }
}
