package ai.emadaptive.train;

import ai.emadaptive.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/** max(x, 0), keeping its input for the backward pass. */
final class Relu {
    private INDArray x;
    private INDArray y;
    private INDArray gx;

    INDArray forward(INDArray input) {
        x = input;
        y = Buffers.ensure(y, input.dataType(), input.shape());
        Ops.relu(input, y).run();
        return y;
    }

    INDArray backward(INDArray gy) {
        gx = Buffers.ensure(gx, x.dataType(), x.shape());
        Ops.reluBackward(x, gy, gx).run();
        return gx;
    }
}
