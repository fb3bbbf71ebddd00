package ai.emadaptive.routing;

/** Confidence of an exit head from its logits: the quantities entropy thresholding and the routers read. */
public final class Confidence {
    private Confidence() {}

    public static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        for (float v : logits) sum += Math.exp(v - max);
        double log = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - log;
        return out;
    }

    /** Softmax entropy in nats. */
    public static double entropy(float[] logits) {
        double h = 0;
        for (double lp : logSoftmax(logits)) h -= Math.exp(lp) * lp;
        return h;
    }

    /** {max probability, entropy, margin between the two largest probabilities}. */
    public static double[] features(float[] logits) {
        double[] lp = logSoftmax(logits);
        double p1 = 0, p2 = 0, h = 0;
        for (double l : lp) {
            double p = Math.exp(l);
            h -= p * l;
            if (p > p1) {
                p2 = p1;
                p1 = p;
            } else if (p > p2) {
                p2 = p;
            }
        }
        return new double[] {p1, h, p1 - p2};
    }
}
