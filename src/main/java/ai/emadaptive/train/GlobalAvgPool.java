package ai.emadaptive.train;

import ai.emadaptive.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/** Mean over the spatial axes of an NHWC map: [n, h, w, c] to [n, c]. */
final class GlobalAvgPool {
    private long[] inShape;
    private INDArray y;
    private INDArray gx;

    INDArray forward(INDArray x) {
        inShape = x.shape();
        y = Buffers.ensure(y, x.dataType(), x.size(0), x.size(3));
        Ops.globalAvgPool(x, y).run();
        return y;
    }

    INDArray backward(INDArray gy) {
        gx = Buffers.ensure(gx, gy.dataType(), inShape);
        long n = inShape[0], hw = inShape[1] * inShape[2], c = inShape[3];
        INDArray g3 = gx.reshape('c', n, hw, c);
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(g3, gy.div(hw), g3, 0, 2));
        return gx;
    }
}
