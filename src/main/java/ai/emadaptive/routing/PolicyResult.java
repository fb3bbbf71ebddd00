package ai.emadaptive.routing;

import ai.emadaptive.model.ModelSpec;

/**
 * One method at one setting on a cached set.
 *
 * @param cost        mean normalised FLOPs of the paths actually executed (heads and routers included)
 * @param nominalCost the seed's accounting: 0.25 per exit depth
 * @param exitMix     share of images leaving at exits 1..4
 * @param msPerImage  wall-clock per image with the serving engine at batch 1, or NaN when not timed
 */
public record PolicyResult(
        String method,
        double parameter,
        double accuracy,
        double cost,
        double nominalCost,
        double[] exitMix,
        double msPerImage) {

    /** @param pathCost normalised cost of leaving at exit 1..4 under this method (index 0..3) */
    public static PolicyResult of(String method, double parameter, FeatureCache c, int[] exits, double[] pathCost) {
        int correct = 0, scored = 0;
        double cost = 0;
        double nominal = 0;
        double[] mix = new double[ModelSpec.STAGES];
        for (int i = 0; i < exits.length; i++) {
            int e = exits[i];
            if (c.scored(i)) {
                scored++;
                if (c.correct(e, i)) correct++;
            }
            cost += pathCost[e - 1];
            nominal += 0.25 * e;
            mix[e - 1]++;
        }
        int n = exits.length;
        for (int k = 0; k < mix.length; k++) mix[k] /= n;
        return new PolicyResult(
                method,
                parameter,
                scored == 0 ? Double.NaN : (double) correct / scored,
                cost / n,
                nominal / n,
                mix,
                Double.NaN);
    }

    public PolicyResult withTime(double ms) {
        return new PolicyResult(method, parameter, accuracy, cost, nominalCost, exitMix, ms);
    }
}
