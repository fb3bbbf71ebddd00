package ai.emadaptive.pipeline;

import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.model.TaskType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream's counts (decoded, processed, dropped, in flight), its output rate and its live accuracy against the
 * ground truth beside a file. Counts are safe from any thread; scores are written by the inference thread only.
 */
final class StreamTally {
    private final TaskType task;
    private final int classes;
    private final long allClasses; // mask of every class, multi-label
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong settled = new AtomicLong(); // decoded frames that were processed or dropped
    private long labelled, correct;
    private long toolDecisions, toolsCorrect; // multi-label: (frame, tool) decisions scored, and right
    private volatile double fps;
    private long lastDoneNanos;
    private double meanGapNanos;

    StreamTally(int classes, TaskType task) {
        this.classes = classes;
        this.task = task;
        this.allClasses = classes >= Long.SIZE ? -1L : (1L << classes) - 1;
    }

    void decoded() {
        decoded.incrementAndGet();
    }

    /** A dropped frame; a decode error never counted as decoded, so it does not settle one. */
    void dropped(boolean wasDecoded) {
        dropped.incrementAndGet();
        if (wasDecoded) settled.incrementAndGet();
    }

    /** Inference thread: counts and scores a processed frame and updates the output rate. */
    void processed(FrameBuffer f) {
        processed.incrementAndGet();
        if (task.multiLabel()) {
            if (f.truthMask != -1) {
                long wrong = (f.present ^ f.truthMask) & allClasses;
                labelled++;
                if (wrong == 0) correct++;
                toolDecisions += classes;
                toolsCorrect += classes - Long.bitCount(wrong);
            }
        } else if (f.truth >= 0) {
            labelled++;
            if (f.truth == f.label) correct++;
        }
        long gap = lastDoneNanos == 0 ? 0 : f.doneNanos - lastDoneNanos;
        lastDoneNanos = f.doneNanos;
        if (gap > 0) {
            // average the gaps, not their inverses: irregular gaps would inflate an average of rates
            meanGapNanos = meanGapNanos == 0 ? gap : 0.9 * meanGapNanos + 0.1 * gap;
            fps = 1e9 / meanGapNanos;
        }
    }

    /** A processed frame is with its outputs (e.g. queued for the recording): it is no longer in flight. */
    void settled() {
        settled.incrementAndGet();
    }

    long decodedCount() {
        return decoded.get();
    }

    long processedCount() {
        return processed.get();
    }

    long droppedCount() {
        return dropped.get();
    }

    long inFlight() {
        return decoded.get() - settled.get();
    }

    double fps() {
        return fps;
    }

    double accuracy() {
        long n = labelled;
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    double toolAccuracy() {
        long n = toolDecisions;
        return n == 0 ? Double.NaN : (double) toolsCorrect / n;
    }
}
