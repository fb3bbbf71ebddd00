package ai.emadaptive.bench;

import ai.emadaptive.model.Weights;
import ai.emadaptive.onnx.OnnxExport;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime serving the same weights on one fixed exit path (the exported path graph: stem to exit k, batch norm
 * folded, graph optimisation ALL), for {@code bench} to time beside the engine.
 */
final class OrtPeer implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor input;

    /** @throws IllegalStateException when ONNX Runtime refuses the graph (no ONNX Runtime type leaks to callers) */
    OrtPeer(Weights weights, int exit, int threads, float[] nhwc, long[] shape) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            session = env.createSession(OnnxExport.pathGraph(weights, exit), o);
            input = OnnxTensor.createTensor(env, FloatBuffer.wrap(nhwc), shape);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** One inference of the batch; the result is closed at once (its logits are not needed for timing). */
    void run() {
        try (OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, input))) {
            if (r.size() != 1) throw new IllegalStateException("expected one output");
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        input.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
