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
        grad.assign(softmax(logits));
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double p = grad.getDouble(i, labels[i]);
            loss -= Math.log(Math.max(p, 1e-30));
            grad.putScalar(i, labels[i], p - 1);
        }
        grad.muli(weight / n);
        return loss / n;
    }

    /**
     * Adds the gradient of weight * T^2 * KL(softmax(teacher / T) || softmax(student / T)), averaged over the batch,
     * to {@code grad}: weight * T * (softmax(student / T) - softmax(teacher / T)) / n. The teacher is not trained.
     *
     * @return the mean KL divergence (unweighted)
     */
    public static double addDistillation(
            INDArray student, INDArray teacher, double temperature, double weight, INDArray grad) {
        long n = student.size(0);
        INDArray ps = softmax(student.div(temperature));
        INDArray pt = softmax(teacher.div(temperature));
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < student.size(1); c++) {
                double t = pt.getDouble(i, c);
                if (t > 0) kl += t * (Math.log(t) - Math.log(Math.max(ps.getDouble(i, c), 1e-30)));
            }
        }
        grad.addi(ps.subi(pt).muli(weight * temperature / n));
        return kl / n;
    }

    private static INDArray softmax(INDArray logits) {
        INDArray out = logits.ulike();
        Nd4j.getExecutioner()
                .exec(DynamicCustomOp.builder("softmax")
                        .addInputs(logits)
                        .addOutputs(out)
                        .addIntegerArguments(1)
                        .build());
        return out;
    }
}
