package ai.emadaptive.routing;

import ai.emadaptive.model.TaskType;

/**
 * The router of one exit: p(exit here | x, lambda) = sigmoid(w . z(x) + beta * lambda + b), with z the
 * standardised inputs (the stage's pooled feature unless confidence-only, and the head's confidence unless
 * feature-only) and beta >= 0. A confidence-only router has four parameters to fit: routers fitted on frames of few
 * videos do not learn what tells those videos apart, which the pooled feature carries.
 * Because beta is never negative, raising lambda raises every router's probability: each frame's exit can only
 * move earlier, so cost falls monotonically with lambda, frame by frame.
 */
public record Router(
        int exit,
        boolean confidence,
        boolean confidenceOnly,
        double[] mean,
        double[] std,
        double[] w,
        double beta,
        double bias) {

    public Router {
        if (confidenceOnly && !confidence)
            throw new IllegalArgumentException("a confidence-only router reads confidence");
    }

    /** A router of the pooled feature (and the confidence when {@code confidence}). */
    public Router(int exit, boolean confidence, double[] mean, double[] std, double[] w, double beta, double bias) {
        this(exit, confidence, false, mean, std, w, beta, bias);
    }

    /**
     * Raw inputs: the pooled feature unless {@code confidenceOnly}, then the head's three {@link Confidence#features}
     * when {@code confidence}.
     */
    public static double[] inputs(
            TaskType task, float[] feature, float[] logits, boolean confidence, boolean confidenceOnly) {
        int f = confidenceOnly ? 0 : feature.length;
        double[] x = new double[inputCount(feature.length, confidence, confidenceOnly)];
        for (int i = 0; i < f; i++) x[i] = feature[i];
        if (confidence) {
            double[] c = new double[3];
            Confidence.features(task, logits, c);
            System.arraycopy(c, 0, x, f, 3);
        }
        return x;
    }

    /** How many inputs a router of a stage with {@code channels} channels reads. */
    public static int inputCount(int channels, boolean confidence, boolean confidenceOnly) {
        return (confidenceOnly ? 0 : channels) + (confidence ? 3 : 0);
    }

    /**
     * The router's logit from the pooled feature and the head's {@link Confidence#features} (each ignored when the
     * router does not read it). Allocates nothing: it runs per frame.
     */
    public double logit(float[] feature, double[] headConfidence, double lambda) {
        double s = bias + beta * lambda;
        int c = confidenceOnly ? 0 : feature.length;
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
