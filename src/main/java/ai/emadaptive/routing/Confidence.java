package ai.emadaptive.routing;

/** Confidence of an exit head from its logits: the quantities entropy thresholding and the routers read. */
public final class Confidence {
    private Confidence() {}

    public static double[] logSoftmax(float[] logits) {
        double log = logSumExp(logits);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - log;
        return out;
    }

    private static double logSumExp(float[] logits) {
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
