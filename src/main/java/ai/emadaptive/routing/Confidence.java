package ai.emadaptive.routing;

import ai.emadaptive.model.TaskType;

/**
 * Confidence of an exit head from its logits: the quantities entropy thresholding and the routers read. A
 * single-label head is a softmax over the classes; a multi-label head one sigmoid per class, whose uncertainty is
 * that of its least certain class (a tool set is right only when every tool's decision is).
 */
public final class Confidence {
    private Confidence() {}

    /** The head's uncertainty: softmax entropy, or the largest binary entropy over the classes (nats). */
    public static double uncertainty(TaskType task, float[] logits) {
        return task.multiLabel() ? maxBinaryEntropy(logits) : entropy(logits);
    }

    /** The largest {@link #uncertainty} a head of {@code classes} classes can have. */
    public static double maxUncertainty(TaskType task, int classes) {
        return task.multiLabel() ? Math.log(2) : Math.log(classes);
    }

    /**
     * The three confidence inputs of a router, allocation-free: single-label {@link #features(float[], double[])};
     * multi-label {least certain class's probability of its decision, mean binary entropy, largest binary entropy}.
     */
    public static void features(TaskType task, float[] logits, double[] out) {
        if (!task.multiLabel()) {
            features(logits, out);
            return;
        }
        double least = 1, mean = 0, max = 0;
        for (float z : logits) {
            double p = sigmoid(z);
            least = Math.min(least, Math.max(p, 1 - p));
            double h = binaryEntropy(z);
            mean += h;
            max = Math.max(max, h);
        }
        out[0] = least;
        out[1] = mean / logits.length;
        out[2] = max;
    }

    public static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** log sigmoid(z), stable for large |z|. */
    public static double logSigmoid(double z) {
        return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
    }

    /** Entropy in nats of a Bernoulli with logit z. */
    public static double binaryEntropy(double z) {
        double p = sigmoid(z);
        return -(p * logSigmoid(z) + (1 - p) * logSigmoid(-z));
    }

    static double maxBinaryEntropy(float[] logits) {
        double max = 0;
        for (float z : logits) max = Math.max(max, binaryEntropy(z));
        return max;
    }

    public static double[] logSoftmax(float[] logits) {
        double log = logSumExp(logits);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - log;
        return out;
    }

    static double logSumExp(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        for (float v : logits) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }

    /** Softmax entropy in nats. Allocates nothing: it runs per frame. */
    public static double entropy(float[] logits) {
        double lse = logSumExp(logits);
        double h = 0;
        for (float v : logits) {
            double lp = v - lse;
            h -= Math.exp(lp) * lp;
        }
        return h;
    }

    /** {max probability, entropy, margin between the two largest probabilities}. */
    public static double[] features(float[] logits) {
        double[] out = new double[3];
        features(logits, out);
        return out;
    }

    /** As {@link #features(float[])} into {@code out}, allocating nothing. */
    public static void features(float[] logits, double[] out) {
        double lse = logSumExp(logits);
        double p1 = 0, p2 = 0, h = 0;
        for (float v : logits) {
            double lp = v - lse;
            double p = Math.exp(lp);
            h -= p * lp;
            if (p > p1) {
                p2 = p1;
                p1 = p;
            } else if (p > p2) {
                p2 = p;
            }
        }
        out[0] = p1;
        out[1] = h;
        out[2] = p1 - p2;
    }
}
