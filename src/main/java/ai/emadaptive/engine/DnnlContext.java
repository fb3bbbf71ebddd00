package ai.emadaptive.engine;

import static ai.emadaptive.engine.Dnnl.check;
import static org.bytedeco.dnnl.global.dnnl.*;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A oneDNN CPU engine and a stream on it, for the primitives of one inference thread. A primitive keeps the OpenMP
 * thread count of the thread that created it (oneDNN splits its work for that many threads when it is made), so
 * the thread count is chosen by setting it on the creating thread before the primitives are made.
 */
public final class DnnlContext implements AutoCloseable {
    final dnnl_engine engine;
    final dnnl_stream stream;

    public DnnlContext() {
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
