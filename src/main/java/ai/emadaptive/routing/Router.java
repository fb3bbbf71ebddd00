package ai.emadaptive.routing;

import ai.emadaptive.model.TaskType;

/**
 * The router of one exit: p(exit here | x, lambda) = sigmoid(w . z(x) + beta * lambda + b), with z the
 * standardised inputs (the stage's pooled feature, and the head's confidence unless feature-only) and beta >= 0.
 * Because beta is never negative, raising lambda raises every router's probability: each frame's exit can only
 * move earlier, so cost falls monotonically with lambda, frame by frame.
 */
public record Router(int exit, boolean confidence, double[] mean, double[] std, double[] w, double beta, double bias) {

    /** Raw inputs: the pooled feature, then the head's three {@link Confidence#features} when {@code confidence}. */
    public static double[] inputs(TaskType task, float[] feature, float[] logits, boolean confidence) {
        int d = feature.length + (confidence ? 3 : 0);
        double[] x = new double[d];
        for (int i = 0; i < feature.length; i++) x[i] = feature[i];
        if (confidence) {
            double[] c = new double[3];
            Confidence.features(task, logits, c);
            System.arraycopy(c, 0, x, feature.length, 3);
        }
        return x;
    }

    /**
     * The router's logit from the pooled feature and the head's {@link Confidence#features} (ignored when the router
     * is feature-only). Allocates nothing: it runs per frame.
     */
    public double logit(float[] feature, double[] headConfidence, double lambda) {
        double s = bias + beta * lambda;
        int c = feature.length;
        for (int i = 0; i < c; i++) s += w[i] * (feature[i] - mean[i]) / std[i];
        if (confidence) {
            for (int j = 0; j < 3; j++) s += w[c + j] * (headConfidence[j] - mean[c + j]) / std[c + j];
        }
        return s;
    }

    public double probability(TaskType task, float[] feature, float[] logits, double lambda) {
        double[] c = null;
        if (confidence) Confidence.features(task, logits, c = new double[3]);
        return 1 / (1 + Math.exp(-logit(feature, c, lambda)));
    }

    /** FLOPs of one decision: a dot product over the inputs (plus the confidence features' softmax). */
    public long flops(int numClasses) {
        return 2L * w.length + (confidence ? 6L * numClasses : 0);
    }
}
