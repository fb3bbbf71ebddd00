package ai.emadaptive.pipeline;

import ai.emadaptive.frame.FrameBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies frames' prepared input rows ({@link FrameBuffer#input}) into an engine's batch input (contiguous NHWC
 * float32) by direct memory copy, without going through INDArray setters. Not thread-safe: one per inference worker.
 */
final class BatchInput {
    private INDArray target;
    private FloatPointer pointer;

    /** Copies {@code row} into row {@code r} of {@code input}. */
    void write(float[] row, INDArray input, int r) {
        if (input != target) {
            if (!input.isR() || input.ordering() != 'c')
                throw new IllegalArgumentException("input must be contiguous float32");
            if (input.length() % row.length != 0)
                throw new IllegalArgumentException("row of " + row.length + " does not tile the input");
            target = input;
            pointer = new FloatPointer(input.data().addressPointer());
        }
        // addressPointer() already includes the buffer's offset; add the view's own
        pointer.position(input.offset() + (long) r * row.length).put(row, 0, row.length);
        pointer.position(0);
    }
}
