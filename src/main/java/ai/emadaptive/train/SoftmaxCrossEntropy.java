package ai.emadaptive.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Mean softmax cross-entropy over a batch and its gradient with respect to the logits. */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /**
     * @param grad receives weight * (softmax(logits) - onehot(labels)) / n
     * @return the mean loss (unweighted)
     */
    public static double lossAndGrad(INDArray logits, int[] labels, double weight, INDArray grad) {
        long n = logits.size(0);
        Nd4j.getExecutioner().exec(DynamicCustomOp.builder("softmax").addInputs(logits).addOutputs(grad).addIntegerArguments(1).build());
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double p = grad.getDouble(i, labels[i]);
            loss -= Math.log(Math.max(p, 1e-30));
            grad.putScalar(i, labels[i], p - 1);
        }
        grad.muli(weight / n);
        return loss / n;
    }
}
