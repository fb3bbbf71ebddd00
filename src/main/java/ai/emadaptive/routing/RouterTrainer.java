package ai.emadaptive.routing;

import ai.emadaptive.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fits the routers: EM at every lambda of a grid gives each sample's posterior over exits; the cascade targets
 * t_k(x, lambda) are regressed by each exit's logistic router with binary cross-entropy, Adam, minibatches over
 * (sample, lambda) pairs.
 */
public final class RouterTrainer {
    /**
     * The E-step's default evidence weight: on CIFAR-10 it put EM's frontier at or above entropy's from 0.33 to 0.78
     * of the cost (w = 1: mostly below).
     */
    public static final double EVIDENCE_WEIGHT = 25;

    /**
     * @param evidenceWeight weight of the evidence and cost against the prior in the E-step (1: the seed's;
     *                       {@link #EVIDENCE_WEIGHT} by default; see {@link EmRouting})
     */
    public record Options(
            double[] lambdas,
            int emIterations,
            double evidenceWeight,
            boolean confidence,
            boolean confidenceOnly,
            int epochs,
            double lr,
            int batch,
            long seed) {
        public static Options defaults(boolean confidence) {
            return new Options(
                    new double[] {0, 0.5, 1, 2, 4, 8, 16, 32}, 5, EVIDENCE_WEIGHT, confidence, false, 10, 1e-2, 512, 1);
        }

        /** The routers' method name as the artifact records it. */
        public String method() {
            return confidenceOnly ? "em-confidence" : confidence ? "em-confidence-feature" : "em-feature";
        }
    }

    /** The fewest Adam steps a router's fit takes, whatever the epochs asked (see {@link #fit}). */
    static final long MIN_STEPS = 1500;

    private RouterTrainer() {}

    /** FLOPs of the routers of exits 1..3 before they exist (they depend only on their input sizes). */
    public static long[] routerFlops(ModelSpec spec, boolean confidence, boolean confidenceOnly) {
        long[] f = new long[ModelSpec.STAGES - 1];
        for (int e = 1; e < ModelSpec.STAGES; e++) {
            int d = Router.inputCount(spec.stageChannels(e), confidence, confidenceOnly);
            f[e - 1] =
                    new Router(e, confidence, confidenceOnly, null, null, new double[d], 0, 0).flops(spec.numClasses());
        }
        return f;
    }

    /**
     * A grid fitted to where EM's posterior moves on these images: {@code points} lambdas evenly from 0 to the first
     * lambda (0.25, 0.5, 1, ... doubling) at which EM sends 99% of the posterior mass to exit 1. The routers are linear
     * in lambda, so a grid that spends most points where nothing changes teaches them the wrong slope; how far that is
     * depends on how much the exits' evidence differs (a multi-label head's summed per-tool log-likelihoods differ
     * less between exits than a confident softmax's).
     */
    public static double[] autoGrid(
            FeatureCache cache, double[] cost, int points, int emIterations, double evidenceWeight) {
        double[][] ll = cache.logLikelihoods();
        double max = 0.25;
        while (max < 1024) {
            double[][] q =
                    EmRouting.fit(ll, cost, max, emIterations, evidenceWeight).posterior();
            double first = 0;
            for (double[] row : q) first += row[0] / q.length;
            if (first >= 0.99) break;
            max *= 2;
        }
        double[] g = new double[points];
        for (int i = 0; i < points; i++) g[i] = max * i / (points - 1);
        return g;
    }

    /** @param cost normalised cost of each exit path (heads and routers included) */
    public static RouterSet train(FeatureCache cache, double[] cost, Options o, double defaultLambda) {
        double[][] ll = cache.logLikelihoods();
        int n = cache.count();
        int g = o.lambdas().length;
        double[][][] targets = new double[g][][];
        for (int j = 0; j < g; j++) {
            targets[j] = EmRouting.cascadeTargets(
                    EmRouting.fit(ll, cost, o.lambdas()[j], o.emIterations(), o.evidenceWeight())
                            .posterior());
        }
        List<Router> routers = new ArrayList<>();
        for (int e = 1; e < ModelSpec.STAGES; e++) {
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++)
                x[i] = Router.inputs(
                        cache.task(),
                        cache.features()[e - 1][i],
                        cache.logits()[e - 1][i],
                        o.confidence(),
                        o.confidenceOnly());
            routers.add(fit(e, x, targets, o));
        }
        return new RouterSet(o.method(), routers, o.lambdas().clone(), defaultLambda, 0.5, o.evidenceWeight());
    }

    private static Router fit(int exit, double[][] x, double[][][] targets, Options o) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] row : x) for (int k = 0; k < d; k++) mean[k] += row[k] / n;
        for (double[] row : x) for (int k = 0; k < d; k++) std[k] += (row[k] - mean[k]) * (row[k] - mean[k]) / n;
        for (int k = 0; k < d; k++) std[k] = Math.sqrt(std[k]) + 1e-6;
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) z[i][k] = (x[i][k] - mean[k]) / std[k];
        // parameters: w[0..d), beta = p[d], bias = p[d + 1]
        int m = d + 2;
        double[] p = new double[m];
        double[] m1 = new double[m];
        double[] m2 = new double[m];
        double[] grad = new double[m];
        int g = o.lambdas().length;
        // lambda enters scaled to about unit range so Adam's steps suit it like the standardised inputs
        double lambdaScale = Math.max(1, o.lambdas()[g - 1]);
        long rows = (long) n * g;
        int[] order = new int[(int) rows];
        for (int r = 0; r < rows; r++) order[r] = r;
        Random rnd = new Random(o.seed() + exit);
        long t = 0;
        // a small routing set (a few hundred held-out frames) gives a few Adam steps an epoch: too few to learn
        // lambda's
        // slope, so epochs are added until the fit has taken MIN_STEPS steps
        long perEpoch = (rows + o.batch() - 1) / o.batch();
        long epochs = Math.max(o.epochs(), (MIN_STEPS + perEpoch - 1) / perEpoch);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int r = order.length - 1; r > 0; r--) {
                int s = rnd.nextInt(r + 1);
                int tmp = order[r];
                order[r] = order[s];
                order[s] = tmp;
            }
            for (int from = 0; from < order.length; from += o.batch()) {
                int to = Math.min(order.length, from + o.batch());
                java.util.Arrays.fill(grad, 0);
                for (int r = from; r < to; r++) {
                    int i = order[r] % n;
                    int j = order[r] / n;
                    double lam = o.lambdas()[j] / lambdaScale;
                    double s = p[d + 1] + p[d] * lam;
                    for (int k = 0; k < d; k++) s += p[k] * z[i][k];
                    double err = 1 / (1 + Math.exp(-s)) - targets[j][i][exit - 1];
                    for (int k = 0; k < d; k++) grad[k] += err * z[i][k];
                    grad[d] += err * lam;
                    grad[d + 1] += err;
                }
                t++;
                double c1 = 1 - Math.pow(0.9, t), c2 = 1 - Math.pow(0.999, t);
                for (int k = 0; k < m; k++) {
                    double gk = grad[k] / (to - from);
                    m1[k] = 0.9 * m1[k] + 0.1 * gk;
                    m2[k] = 0.999 * m2[k] + 0.001 * gk * gk;
                    p[k] -= o.lr() * (m1[k] / c1) / (Math.sqrt(m2[k] / c2) + 1e-8);
                }
                p[d] = Math.max(0, p[d]);
            }
        }
        double[] w = java.util.Arrays.copyOf(p, d);
        return new Router(exit, o.confidence(), o.confidenceOnly(), mean, std, w, p[d] / lambdaScale, p[d + 1]);
    }
}
