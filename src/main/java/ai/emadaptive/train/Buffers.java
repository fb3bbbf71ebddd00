package ai.emadaptive.train;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Activation buffers are kept between steps and reallocated only when the batch shape changes. */
final class Buffers {
    private Buffers() {}

    static INDArray ensure(INDArray current, DataType type, long... shape) {
        if (current != null && current.dataType() == type && Arrays.equals(current.shape(), shape)) return current;
        return Nd4j.create(type, shape);
    }
}
