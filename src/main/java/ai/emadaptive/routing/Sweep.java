package ai.emadaptive.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import ai.emadaptive.model.ModelSpec;

/** EM over a lambda grid and entropy thresholding over a threshold grid, with their Pareto frontiers. */
public final class Sweep {
    private Sweep() {}

    public record Result(List<PolicyResult> em, List<PolicyResult> entropy, List<PolicyResult> emFrontier,
                         List<PolicyResult> entropyFrontier, List<PolicyResult> fixed, PolicyResult oracle, PolicyResult random) {}

    /**
     * A linear lambda grid from 0 to the smallest lambda (found by doubling) at which every image leaves at exit 1.
     * Each frame switches to an earlier exit at its own lambda; a linear grid over the whole switching range shows
     * the frontier without the gaps a geometric grid leaves.
     */
    public static double[] lambdaGrid(Evaluation eval, int count) {
        double max = 0.25;
        while (max < 1e6 && eval.em(max).exitMix()[0] < 1) max *= 2;
        double[] g = new double[count];
        for (int i = 0; i < count; i++) g[i] = max * i / (count - 1);
        return g;
    }

    public static Result run(Evaluation eval, double[] lambdas, int thresholds, int numClasses) {
        List<PolicyResult> em = new ArrayList<>();
        for (double l : lambdas) em.add(eval.em(l));
        List<PolicyResult> ent = new ArrayList<>();
        double hmax = Math.log(numClasses);
        for (int i = 0; i <= thresholds; i++) ent.add(eval.entropy(hmax * i / thresholds));
        List<PolicyResult> fixed = new ArrayList<>();
        for (int k = 1; k <= ModelSpec.STAGES; k++) fixed.add(eval.fixed(k));
        return new Result(em, ent, frontier(em), frontier(ent), fixed, eval.oracle(), eval.random(1));
    }

    /** Points not dominated by another (cheaper or equal cost and more accurate), by increasing cost. */
    public static List<PolicyResult> frontier(List<PolicyResult> points) {
        List<PolicyResult> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(PolicyResult::cost).thenComparing(Comparator.comparingDouble(PolicyResult::accuracy).reversed()));
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
