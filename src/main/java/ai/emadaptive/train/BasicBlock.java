package ai.emadaptive.train;

import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.ParamLayout;
import ai.emadaptive.model.Weights;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), the shortcut a 1x1 conv + BN when the shape changes. */
final class BasicBlock {
    private final ConvBn c1;
    private final ConvBn c2;
    private final ConvBn down;
    private final Relu r1 = new Relu();
    private final Relu r2 = new Relu();
    private INDArray sum;
    private INDArray gx;

    BasicBlock(Weights w, ModelSpec spec, int s, int b) {
        int stride = b == 0 ? spec.stageStride(s) : 1;
        c1 = new ConvBn(w, Names.conv1(s, b), Names.bn1(s, b), stride);
        c2 = new ConvBn(w, Names.conv2(s, b), Names.bn2(s, b), 1);
        down = ParamLayout.hasDownsample(spec, s, b)
                ? new ConvBn(w, Names.downConv(s, b), Names.downBn(s, b), stride)
                : null;
    }

    List<TrainParam> params() {
        List<TrainParam> p = new ArrayList<>(c1.params());
        p.addAll(c2.params());
        if (down != null) p.addAll(down.params());
        return p;
    }

    INDArray forward(INDArray x, boolean train) {
        INDArray main = c2.forward(r1.forward(c1.forward(x, train)), train);
        INDArray shortcut = down == null ? x : down.forward(x, train);
        sum = Buffers.ensure(sum, main.dataType(), main.shape());
        main.addi(shortcut, sum);
        return r2.forward(sum);
    }

    INDArray backward(INDArray gy) {
        INDArray gSum = r2.backward(gy);
        INDArray gMain = c1.backward(r1.backward(c2.backward(gSum)));
        gx = Buffers.ensure(gx, gMain.dataType(), gMain.shape());
        gMain.addi(down == null ? gSum : down.backward(gSum), gx);
        return gx;
    }
}
