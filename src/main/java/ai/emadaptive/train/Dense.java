package ai.emadaptive.train;

import ai.emadaptive.model.Ops;
import ai.emadaptive.model.Weights;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = x . W + b with W [in, out]. */
final class Dense {
    private final TrainParam w;
    private final TrainParam b;
    private INDArray x;
    private INDArray y;
    private INDArray gx;

    Dense(Weights weights, String wName, String bName) {
        w = TrainParam.of(wName, weights.get(wName));
        b = TrainParam.of(bName, weights.get(bName));
    }

    List<TrainParam> params() {
        return List.of(w, b);
    }

    INDArray forward(INDArray input) {
        x = input;
        y = Buffers.ensure(y, input.dataType(), input.size(0), w.value().size(1));
        Ops.dense(input, w.value(), b.value(), y).run();
        return y;
    }

    INDArray backward(INDArray gy) {
        gx = Buffers.ensure(gx, x.dataType(), x.shape());
        Nd4j.gemm(x, gy, w.grad(), true, false, 1.0, 0.0);
        b.grad().assign(gy.sum(0));
        Nd4j.gemm(gy, w.value(), gx, false, true, 1.0, 0.0);
        return gx;
    }
}
