package ai.emadaptive.train;

import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.Ops;
import ai.emadaptive.model.Weights;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training graph: forward through every stage and exit head, backward from any set of exit losses.
 * Built on libnd4j ops called directly (conv2d/conv2d_bp, batchnorm/batchnorm_bp, ...) rather than DL4J layers
 * or SameDiff, whose per-op bookkeeping dominates on CPU. Parameters are the {@link Weights}' own arrays,
 * updated in place. NHWC input.
 *
 * <p>With a frozen backbone the stem and stages run in inference mode (running BN statistics, nothing kept for
 * backward) and only the heads learn.
 */
public final class MultiExitNetwork {
    private final Weights weights;
    private final ModelSpec spec;
    private final ConvBn stemConv;
    private final Relu stemRelu = new Relu();
    private final BasicBlock[][] blocks = new BasicBlock[ModelSpec.STAGES + 1][];
    private final ExitHead[] heads = new ExitHead[ModelSpec.STAGES + 1];
    private final INDArray[] logits = new INDArray[ModelSpec.STAGES + 1];
    private INDArray pooled;
    private INDArray gPooled;
    private INDArray prePool;
    private boolean frozen;

    public MultiExitNetwork(Weights weights) {
        this.weights = weights;
        this.spec = weights.spec();
        stemConv = new ConvBn(weights, Names.STEM_CONV, Names.STEM_BN, spec.stem().stride);
        for (int s = 1; s <= ModelSpec.STAGES; s++) {
            blocks[s] = new BasicBlock[ModelSpec.BLOCKS_PER_STAGE];
            for (int b = 0; b < ModelSpec.BLOCKS_PER_STAGE; b++) blocks[s][b] = new BasicBlock(weights, spec, s, b);
            heads[s] = new ExitHead(weights, spec, s);
        }
    }

    public Weights weights() {
        return weights;
    }

    /** Trainable parameters: all of them, or only the heads' with a frozen backbone. */
    public List<TrainParam> params(boolean frozenBackbone) {
        List<TrainParam> p = new ArrayList<>();
        if (!frozenBackbone) {
            p.addAll(stemConv.params());
            for (int s = 1; s <= ModelSpec.STAGES; s++) {
                for (BasicBlock b : blocks[s]) p.addAll(b.params());
            }
        }
        for (int s = 1; s <= ModelSpec.STAGES; s++) p.addAll(heads[s].params());
        return p;
    }

    /**
     * Logits of every exit (index 1..4; arrays reused by the next call).
     *
     * @param train          batch statistics in BN (and running statistics updated) where training
     * @param frozenBackbone the backbone runs in inference mode; only heads train
     */
    public INDArray[] forward(INDArray x, boolean train, boolean frozenBackbone) {
        frozen = frozenBackbone;
        boolean trainBackbone = train && !frozenBackbone;
        INDArray h = stemRelu.forward(stemConv.forward(x, trainBackbone));
        if (spec.stem().maxPool) {
            prePool = h;
            long size = spec.stageSize(0);
            pooled = Buffers.ensure(pooled, h.dataType(), h.size(0), size, size, h.size(3));
            Ops.maxPool(h, pooled).run();
            h = pooled;
        }
        for (int s = 1; s <= ModelSpec.STAGES; s++) {
            for (BasicBlock b : blocks[s]) h = b.forward(h, trainBackbone);
            logits[s] = heads[s].forward(h, train);
        }
        return logits;
    }

    /**
     * Backward from the gradients of the exits' logits (null where an exit has no loss). Parameter gradients
     * land in {@link #params}; with a frozen backbone only the heads' are computed.
     */
    public void backward(INDArray[] gLogits) {
        INDArray g = null;
        for (int s = ModelSpec.STAGES; s >= 1; s--) {
            INDArray gHead = gLogits[s] == null ? null : heads[s].backward(gLogits[s]);
            if (frozen) continue;
            if (gHead != null) g = g == null ? gHead : g.addi(gHead);
            if (g != null) {
                for (int b = ModelSpec.BLOCKS_PER_STAGE - 1; b >= 0; b--) g = blocks[s][b].backward(g);
            }
        }
        if (frozen || g == null) return;
        if (spec.stem().maxPool) {
            gPooled = Buffers.ensure(gPooled, g.dataType(), prePool.shape());
            Ops.maxPoolBackward(prePool, g, gPooled).run();
            g = gPooled;
        }
        stemConv.backward(stemRelu.backward(g));
    }
}
