package ai.emadaptive.routing;

import ai.emadaptive.model.ModelSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** EM over a lambda grid and entropy thresholding over a threshold grid, with their Pareto frontiers. */
public final class Sweep {
    private Sweep() {}

    public record Result(
            List<PolicyResult> em,
            List<PolicyResult> entropy,
            List<PolicyResult> emFrontier,
            List<PolicyResult> entropyFrontier,
            List<PolicyResult> fixed,
            PolicyResult oracle,
            PolicyResult random) {}

    /**
     * A lambda grid from the lambda (found by doubling, below zero) at which every image goes to full depth up to
     * the one at which every image leaves at exit 1; a quarter of the points lie below zero, the rest from 0 up,
     * linearly. Each frame switches exit at its own lambda; a linear grid over the whole switching range shows the
     * frontier without the gaps a geometric grid leaves. Negative lambdas matter because the routers learn from the
     * training set, where deep exits tie (all right): at lambda 0 the EM prior breaks the ties towards an earlier
     * exit, so lambda 0 stops short of full depth's accuracy. The routers are linear in lambda, so lambdas below 0
     * extend the same routers to full depth (a model's default lambda may be one of them).
     */
    public static double[] lambdaGrid(Evaluation eval, int count) {
        if (count < 4) throw new IllegalArgumentException("a lambda grid needs at least 4 points, not " + count);
        double max = 0.25;
        while (max < 1e6 && eval.em(max).exitMix()[0] < 1) max *= 2;
        double min = -0.25;
        while (min > -1e6 && eval.em(min).exitMix()[ModelSpec.STAGES - 1] < 1) min *= 2;
        int below = count / 4;
        double[] g = new double[count];
        for (int i = 0; i < count; i++)
            g[i] = i < below ? min * (below - i) / below : max * (i - below) / (count - 1 - below);
        return g;
    }

    public static Result run(Evaluation eval, double[] lambdas, int thresholds) {
        List<PolicyResult> em = new ArrayList<>();
        for (double l : lambdas) em.add(eval.em(l));
        List<PolicyResult> ent = new ArrayList<>();
        double hmax = eval.maxUncertainty();
        for (int i = 0; i <= thresholds; i++) ent.add(eval.entropy(hmax * i / thresholds));
        List<PolicyResult> fixed = new ArrayList<>();
        for (int k = 1; k <= ModelSpec.STAGES; k++) fixed.add(eval.fixed(k));
        return new Result(em, ent, frontier(em), frontier(ent), fixed, eval.oracle(), eval.random(1));
    }

    /** Points not dominated by another (cheaper or equal cost and more accurate), by increasing cost. */
    public static List<PolicyResult> frontier(List<PolicyResult> points) {
        List<PolicyResult> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(PolicyResult::cost)
                .thenComparing(
                        Comparator.comparingDouble(PolicyResult::accuracy).reversed()));
        List<PolicyResult> f = new ArrayList<>();
        double best = -1;
        for (PolicyResult p : sorted) {
            if (p.accuracy() > best) {
                f.add(p);
                best = p.accuracy();
            }
        }
        return f;
    }

    /** Accuracy of a frontier at a cost: the best point whose cost does not exceed it (a step function). */
    public static double accuracyAt(List<PolicyResult> frontier, double cost) {
        double acc = Double.NaN;
        for (PolicyResult p : frontier) if (p.cost() <= cost) acc = p.accuracy();
        return acc;
    }
}
