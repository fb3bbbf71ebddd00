package ai.emadaptive.pipeline;

import ai.emadaptive.frame.FrameBuffer;

/**
 * A stream's stride: with stride k, one frame in k is inferred and the k-1 after it carry its result at no network
 * cost. The decoder decides per frame ({@link #reuseNext}); the inference thread keeps the last inferred result
 * ({@link #remember}) and hands it on ({@link #recall}).
 */
final class ResultReuse {
    private volatile int stride = 1;
    private volatile boolean hasResult;
    private int sinceInferred; // decoder thread only
    // inference thread only: the last inferred frame's result
    private int lastLabel, lastExit;
    private float lastConfidence;
    private long lastPresent;
    private boolean lastUncertain;
    private final float[] lastProbabilities;

    ResultReuse(int classes) {
        lastProbabilities = new float[classes];
    }

    int stride() {
        return stride;
    }

    void stride(int value) {
        if (value < 1) throw new IllegalArgumentException("stride must be >= 1: " + value);
        stride = value;
    }

    /** Decoder thread, once per published frame. Never before a first result exists: the first frame is inferred. */
    boolean reuseNext() {
        if (stride > 1 && hasResult && sinceInferred + 1 < stride) {
            sinceInferred++;
            return true;
        }
        sinceInferred = 0;
        return false;
    }

    void remember(FrameBuffer f) {
        lastLabel = f.label;
        lastExit = f.exit;
        lastConfidence = f.confidence;
        lastPresent = f.present;
        lastUncertain = f.uncertain;
        System.arraycopy(
                f.probabilities, 0, lastProbabilities, 0, Math.min(f.probabilities.length, lastProbabilities.length));
        hasResult = true;
    }

    void recall(FrameBuffer f) {
        f.label = lastLabel;
        f.exit = lastExit;
        f.confidence = lastConfidence;
        f.present = lastPresent;
        f.uncertain = lastUncertain;
        System.arraycopy(
                lastProbabilities, 0, f.probabilities, 0, Math.min(f.probabilities.length, lastProbabilities.length));
        f.cost = 0;
    }
}
