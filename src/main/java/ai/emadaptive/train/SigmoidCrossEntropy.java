package ai.emadaptive.train;

import ai.emadaptive.data.ImageSet;
import ai.emadaptive.routing.Confidence;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-label loss: one binary cross-entropy per class on its logit, summed over the classes whose target is known and
 * averaged over the batch, and its gradient with respect to the logits. Summing over classes (rather than averaging)
 * keeps the gradient's scale that of a softmax cross-entropy, so the same learning rates suit both tasks.
 */
public final class SigmoidCrossEntropy {
    private SigmoidCrossEntropy() {}

    /**
     * @param targets per row, per class: {@link ImageSet#PRESENT}, {@link ImageSet#ABSENT} or {@link ImageSet#UNKNOWN}
     *                (no loss, no gradient), row-major [n][classes]
     * @param grad    receives weight * (sigmoid(z) - y) / n where the target is known, 0 elsewhere
     * @return the mean over rows of the summed loss (unweighted)
     */
    public static double lossAndGrad(INDArray logits, byte[] targets, double weight, INDArray grad) {
        int n = (int) logits.size(0), c = (int) logits.size(1);
        double[] z = logits.dup('c').data().asDouble();
        double[] g = new double[n * c];
        double loss = 0;
        for (int i = 0; i < n * c; i++) {
            byte t = targets[i];
            if (t == ImageSet.UNKNOWN) continue;
            double y = t == ImageSet.PRESENT ? 1 : 0;
            // log(1 + e^z) - y z, written stably
            loss += Math.max(z[i], 0) - z[i] * y + Math.log1p(Math.exp(-Math.abs(z[i])));
            g[i] = weight * (Confidence.sigmoid(z[i]) - y) / n;
        }
        grad.assign(org.nd4j.linalg.factory.Nd4j.create(g, new long[] {n, c}, 'c'));
        return loss / n;
    }

    /**
     * Adds the gradient of weight * T^2 * sum_k KL(Bern(sigmoid(t_k / T)) || Bern(sigmoid(s_k / T))), averaged over the
     * batch, to {@code grad}: weight * T * (sigmoid(s / T) - sigmoid(t / T)) / n. The teacher is not trained.
     *
     * @return the mean over rows of the summed KL divergence (unweighted)
     */
    public static double addDistillation(
            INDArray student, INDArray teacher, double temperature, double weight, INDArray grad) {
        int n = (int) student.size(0), c = (int) student.size(1);
        double[] s = student.dup('c').data().asDouble();
        double[] t = teacher.dup('c').data().asDouble();
        double[] g = new double[n * c];
        double kl = 0;
        for (int i = 0; i < n * c; i++) {
            double ps = Confidence.sigmoid(s[i] / temperature), pt = Confidence.sigmoid(t[i] / temperature);
            kl += bernoulliKl(pt, ps);
            g[i] = weight * temperature * (ps - pt) / n;
        }
        grad.addi(org.nd4j.linalg.factory.Nd4j.create(g, new long[] {n, c}, 'c'));
        return kl / n;
    }

    private static double bernoulliKl(double p, double q) {
        double e = 1e-12;
        return p * Math.log((p + e) / (q + e)) + (1 - p) * Math.log((1 - p + e) / (1 - q + e));
    }
}
