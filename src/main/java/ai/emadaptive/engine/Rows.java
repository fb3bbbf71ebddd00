package ai.emadaptive.engine;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moving a pass's remaining frames to the front of a batch buffer. A frame's data is contiguous in every layout the
 * engines use (NHWC, channel-blocked, NCHW), so a row moves as one block of bytes.
 */
final class Rows {
    private Rows() {}

    /** Where each row of {@code buffer} [maxBatch, ...] starts; made once per buffer. */
    static Pointer[] addresses(INDArray buffer) {
        Pointer[] row = new Pointer[(int) buffer.size(0)];
        for (int i = 0; i < row.length; i++) row[i] = Dnnl.address(buffer.slice(i));
        return row;
    }

    /** Bytes of one row of {@code buffer}. */
    static long bytes(INDArray buffer) {
        return buffer.length() / buffer.size(0) * Float.BYTES;
    }

    /** Checks that {@code keep[0..count)} ascend within {@code 0..rows-1}. */
    static void check(int[] keep, int count, int rows) {
        int prev = -1;
        for (int j = 0; j < count; j++) {
            if (keep[j] <= prev || keep[j] >= rows)
                throw new IllegalArgumentException("rows to keep must ascend within 0.." + (rows - 1));
            prev = keep[j];
        }
    }

    /** Copies row keep[j] to row j for each j (ascending, so no row is overwritten before it is read). */
    static void keep(Pointer[] row, long rowBytes, int[] keep, int count, int rows) {
        check(keep, count, rows);
        for (int j = 0; j < count; j++) if (keep[j] != j) Pointer.memcpy(row[j], row[keep[j]], rowBytes);
    }
}
