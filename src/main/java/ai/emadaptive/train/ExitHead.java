package ai.emadaptive.train;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.Weights;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The classifier after a stage: the seed's pooled MLP or the small conv head (see {@link HeadType}). */
final class ExitHead {
    private final ConvBn conv;
    private final Relu convRelu;
    private final GlobalAvgPool pool = new GlobalAvgPool();
    private final Dense hidden;
    private final Relu hiddenRelu;
    private final Dense out;

    ExitHead(Weights w, ModelSpec spec, int e) {
        boolean mlp = spec.headType() == HeadType.MLP;
        conv = mlp ? null : new ConvBn(w, Names.headConv(e), Names.headBn(e), spec.convHeadStride(e));
        convRelu = mlp ? null : new Relu();
        hidden = mlp ? new Dense(w, Names.headFc1W(e), Names.headFc1b(e)) : null;
        hiddenRelu = mlp ? new Relu() : null;
        out = new Dense(w, Names.headOutW(e), Names.headOutb(e));
    }

    List<TrainParam> params() {
        List<TrainParam> p = new ArrayList<>();
        if (conv != null) p.addAll(conv.params());
        if (hidden != null) p.addAll(hidden.params());
        p.addAll(out.params());
        return p;
    }

    INDArray forward(INDArray feature, boolean train) {
        INDArray f = conv == null ? feature : convRelu.forward(conv.forward(feature, train));
        INDArray pooled = pool.forward(f);
        if (hidden != null) pooled = hiddenRelu.forward(hidden.forward(pooled));
        return out.forward(pooled);
    }

    /** Gradient with respect to the stage feature. */
    INDArray backward(INDArray gLogits) {
        INDArray g = out.backward(gLogits);
        if (hidden != null) g = hidden.backward(hiddenRelu.backward(g));
        g = pool.backward(g);
        return conv == null ? g : conv.backward(convRelu.backward(g));
    }
}
