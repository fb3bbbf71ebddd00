package ai.emadaptive.engine;

import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.Weights;

/** Which runtime an inference worker runs its network on; both stop at the exit the routers choose. */
public enum InferenceBackend {
    /** This project's engine: oneDNN primitives on CPU (libnd4j's ops on CUDA). The default. */
    ENGINE,
    /** ONNX Runtime on the artifact's exported stage and exit graphs (CPU). */
    ONNX_RUNTIME;

    /**
     * An engine for up to {@code maxBatch} frames.
     *
     * @param folded  the weights with batch norm folded, shared by the workers of one model (the engine's)
     * @param threads intra-op threads (ONNX Runtime); the engine takes its OpenMP count from the thread that runs it
     */
    public InferenceEngine create(Weights weights, FoldedWeights folded, int maxBatch, int threads) {
        return switch (this) {
            case ENGINE -> new ServingEngine(folded, weights.spec(), maxBatch);
            case ONNX_RUNTIME -> new OrtEngine(weights, maxBatch, threads);
        };
    }
}
