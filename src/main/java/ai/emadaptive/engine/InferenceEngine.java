package ai.emadaptive.engine;

import ai.emadaptive.model.ModelSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A multi-exit network run stage by stage that stops where the caller stops: write a batch into {@link #input},
 * {@link #start} a pass, {@link Pass#advance} stage by stage, read each exit's logits and pooled features, and
 * {@link Pass#keep} only the frames that go deeper. Not thread-safe: one per inference thread.
 */
public interface InferenceEngine extends AutoCloseable {
    ModelSpec spec();

    int maxBatch();

    /** The input buffer for a batch of {@code n} frames, [n, size, size, channels] NHWC, normalised pixels. */
    INDArray input(int n);

    /** Starts a pass over the first {@code n} frames of {@link #input}; the pass is reused by the next call. */
    Pass start(int n);

    /** How many times stage {@code s} (0 = stem) has run. */
    long stageRuns(int s);

    /** How many times head {@code e} has run. */
    long headRuns(int e);

    /** Frees native resources; the engine is unusable afterwards. */
    @Override
    void close();

    /** Fixed exit: copies {@code frames} in, runs stages 1..exit and head {@code exit} only, returns its logits. */
    default INDArray run(INDArray frames, int exit) {
        int n = (int) frames.size(0);
        input(n).assign(frames);
        Pass p = start(n);
        for (int s = 1; s <= exit; s++) p.advance();
        return p.head();
    }

    /** One pass through the network for a batch whose rows may leave at different exits. */
    interface Pass {
        int rows();

        /** Stages completed so far (0 after the stem). */
        int stage();

        /** Runs the next stage (the stem first if it has not run) on the remaining rows. */
        void advance();

        /** The current stage's exit logits [rows, classes] (a view, valid until the next pass). */
        INDArray head();

        /** The current stage's globally average-pooled output [rows, C] (a view, valid until the next pass). */
        INDArray feature();

        /** Keeps only the given rows (ascending indices into the current rows) for the later stages. */
        void keep(int[] keep, int count);
    }
}
