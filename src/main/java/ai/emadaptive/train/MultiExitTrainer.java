package ai.emadaptive.train;

import ai.emadaptive.model.ModelSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One optimiser step on a batch: forward through all exits, a weighted sum of per-exit cross-entropies,
 * backward, update. Exit weights choose the regime: (0,0,0,1) trains the backbone on the final exit,
 * (1,1,1,1) with a frozen backbone trains the heads (the seed's two stages), all ones unfrozen trains jointly.
 */
public final class MultiExitTrainer {
    private final MultiExitNetwork net;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final boolean frozenBackbone;
    private final List<TrainParam> params;
    private final INDArray[] gLogits = new INDArray[ModelSpec.STAGES + 1];
    private long step;

    public MultiExitTrainer(MultiExitNetwork net, Optimizer optimizer, LrSchedule schedule, boolean frozenBackbone) {
        this(net, optimizer, schedule, frozenBackbone, 0);
    }

    /** @param startStep the schedule's position, when resuming */
    public MultiExitTrainer(
            MultiExitNetwork net, Optimizer optimizer, LrSchedule schedule, boolean frozenBackbone, long startStep) {
        this.step = startStep;
        this.net = net;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.frozenBackbone = frozenBackbone;
        this.params = net.params(frozenBackbone);
    }

    /**
     * @param x           NHWC batch, normalised
     * @param labels      class index per row
     * @param exitWeights loss weight per exit (index 0..3 for exits 1..4); 0 skips that exit's loss
     * @return each exit's mean cross-entropy on this batch (before the update), index 0..3
     */
    public double[] step(INDArray x, int[] labels, double[] exitWeights) {
        return step(x, labels, exitWeights, 0, 0);
    }

    /**
     * As {@link #step(INDArray, int[], double[])}, with exits 1..3 also distilled from exit 4 when
     * {@code temperature > 0}: their loss becomes (1 - alpha) CE + alpha T^2 KL(teacher || student).
     */
    public double[] step(INDArray x, int[] labels, double[] exitWeights, double temperature, double alpha) {
        return step(x, labels, null, exitWeights, temperature, alpha);
    }

    /**
     * As {@link #step(INDArray, int[], double[], double, double)} for either task: with {@code targets} (multi-label,
     * [n][classes] row-major, see {@link SigmoidCrossEntropy}) every exit learns per-class binary cross-entropies and
     * distils per class; without, softmax cross-entropy on {@code labels}.
     */
    public double[] step(
            INDArray x, int[] labels, byte[] targets, double[] exitWeights, double temperature, double alpha) {
        INDArray[] logits = net.forward(x, true, frozenBackbone);
        double[] losses = new double[ModelSpec.STAGES];
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            double w = exitWeights[e - 1];
            boolean distil = temperature > 0 && e < ModelSpec.STAGES;
            gLogits[e] = Buffers.ensure(gLogits[e], logits[e].dataType(), logits[e].shape());
            double ceWeight = distil ? w * (1 - alpha) : w;
            losses[e - 1] = targets != null
                    ? SigmoidCrossEntropy.lossAndGrad(logits[e], targets, ceWeight, gLogits[e])
                    : SoftmaxCrossEntropy.lossAndGrad(logits[e], labels, ceWeight, gLogits[e]);
            if (distil && w != 0) {
                if (targets != null)
                    SigmoidCrossEntropy.addDistillation(
                            logits[e], logits[ModelSpec.STAGES], temperature, w * alpha, gLogits[e]);
                else
                    SoftmaxCrossEntropy.addDistillation(
                            logits[e], logits[ModelSpec.STAGES], temperature, w * alpha, gLogits[e]);
            }
        }
        INDArray[] grads = new INDArray[ModelSpec.STAGES + 1];
        for (int e = 1; e <= ModelSpec.STAGES; e++) grads[e] = exitWeights[e - 1] == 0 ? null : gLogits[e];
        // parameters no loss reaches keep a zero gradient (weight decay still applies to them)
        for (TrainParam p : params) p.grad().assign(0);
        net.backward(grads);
        optimizer.step(params, schedule.at(step++));
        return losses;
    }

    public long steps() {
        return step;
    }
}
