package ai.emadaptive.routing;

/**
 * EM over the latent exit z in {1..K} of each sample (the seed's method, in log space):
 * E-step {@code log q_k = log p(y | x, exit k) + log pi_k - lambda * cost_k}, {@code q = softmax_k};
 * M-step {@code pi_k = mean of q_k} (+ eps, renormalised).
 * <p>
 * Our E-step weights the image's evidence and its cost against the prior,
 * {@code log q_k = w (log p(y | x, exit k) - lambda * cost_k) + log pi_k}; w = 1 is the seed's. With w = 1 an exit
 * right at 0.6 and one right at 0.99 differ by only 0.5 in log q, less than the prior's pull, and EM's prior
 * update makes the majority exit richer each round: the posterior barely depends on the image, and the routers
 * learn "which lambda" rather than "which frame". A larger w lets each image's evidence decide; lambda keeps its
 * meaning (log-likelihood per unit of normalised cost), so one lambda grid suits every w.
 */
public final class EmRouting {
    public static final double PRIOR_EPS = 1e-6;

    private EmRouting() {}

    /** Posterior q[n][K] and prior pi[K] after {@code iterations} rounds. */
    public record Result(double[][] posterior, double[] prior) {}

    /**
     * @param logLik log p(y_true | x_i, exit k), [n][K]
     * @param cost   normalised cost of each exit, [K]
     * @param evidenceWeight w, the weight of the evidence and cost terms against the prior (1: the seed's)
     */
    public static Result fit(double[][] logLik, double[] cost, double lambda, int iterations, double evidenceWeight) {
        int n = logLik.length;
        int k = cost.length;
        double[] prior = new double[k];
        java.util.Arrays.fill(prior, 1.0 / k);
        double[][] q = new double[n][k];
        for (int it = 0; it < iterations; it++) {
            eStep(logLik, cost, lambda, prior, q, evidenceWeight);
            prior = mStep(q);
        }
        if (iterations == 0) eStep(logLik, cost, lambda, prior, q, evidenceWeight);
        return new Result(q, prior);
    }

    /** Fills q with the posterior over exits, evidence and cost weighted by {@code evidenceWeight} against the prior. */
    public static void eStep(
            double[][] logLik, double[] cost, double lambda, double[] prior, double[][] q, double evidenceWeight) {
        int k = cost.length;
        for (int i = 0; i < logLik.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                q[i][j] = evidenceWeight * (logLik[i][j] - lambda * cost[j]) + Math.log(prior[j]);
                max = Math.max(max, q[i][j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                q[i][j] = Math.exp(q[i][j] - max);
                sum += q[i][j];
            }
            for (int j = 0; j < k; j++) q[i][j] /= sum;
        }
    }

    /** pi_k = mean_i q_ik, floored at eps and renormalised so no exit's prior collapses to zero. */
    public static double[] mStep(double[][] q) {
        int k = q[0].length;
        double[] pi = new double[k];
        for (double[] row : q) for (int j = 0; j < k; j++) pi[j] += row[j];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            pi[j] = pi[j] / q.length + PRIOR_EPS;
            sum += pi[j];
        }
        for (int j = 0; j < k; j++) pi[j] /= sum;
        return pi;
    }

    /**
     * The routers' targets along the cascade: the probability of exiting at k given the sample got there,
     * t_k = q_k / (q_k + ... + q_K), for k = 1..K-1.
     */
    public static double[][] cascadeTargets(double[][] q) {
        int k = q[0].length;
        double[][] t = new double[q.length][k - 1];
        for (int i = 0; i < q.length; i++) {
            double rest = 0;
            for (int j = k - 1; j >= 0; j--) {
                rest += q[i][j];
                if (j < k - 1) t[i][j] = rest <= 0 ? 1 : q[i][j] / rest;
            }
        }
        return t;
    }
}
