package ai.emadaptive.routing;

import ai.emadaptive.data.BatchFiller;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.Flops;
import ai.emadaptive.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Every method of the comparison on a cached set, and their wall-clock time on the serving engine. */
public final class Evaluation {
    private final ModelSpec spec;
    private final FeatureCache cache;
    private final RouterSet routers;
    private final double[] fixedCost = new double[ModelSpec.STAGES];
    private final double[] headsCost = new double[ModelSpec.STAGES];
    private final double[] routedCost = new double[ModelSpec.STAGES];

    public Evaluation(ModelSpec spec, FeatureCache cache, RouterSet routers) {
        this.spec = spec;
        this.cache = cache;
        this.routers = routers;
        Flops plain = new Flops(spec);
        Flops routed = new Flops(spec, routers == null ? new long[0] : routers.flops(spec.numClasses()));
        for (int k = 1; k <= ModelSpec.STAGES; k++) {
            fixedCost[k - 1] = (double) plain.fixedExit(k) / plain.fullNetwork();
            headsCost[k - 1] = plain.normalisedExitPath(k);
            routedCost[k - 1] = routed.normalisedExitPath(k);
        }
    }

    public PolicyResult full() {
        return PolicyResult.of("full", 4, cache, ExitPolicies.fixed(cache.count(), 4), fixedCost);
    }

    public PolicyResult fixed(int exit) {
        return PolicyResult.of("fixed-exit-" + exit, exit, cache, ExitPolicies.fixed(cache.count(), exit), fixedCost);
    }

    public PolicyResult random(long seed) {
        return PolicyResult.of("random", Double.NaN, cache, ExitPolicies.random(cache.count(), seed), fixedCost);
    }

    public PolicyResult entropy(double threshold) {
        return PolicyResult.of("entropy", threshold, cache, ExitPolicies.entropy(cache, threshold), headsCost);
    }

    public PolicyResult em(double lambda) {
        return PolicyResult.of("em", lambda, cache, ExitPolicies.em(cache, routers, lambda), routedCost);
    }

    /** The oracle pays only for the path to the exit it picks (a lower bound). */
    public PolicyResult oracle() {
        return PolicyResult.of("oracle", Double.NaN, cache, ExitPolicies.oracle(cache), fixedCost);
    }

    /** The largest uncertainty a head can have: the top of the entropy baseline's threshold range. */
    public double maxUncertainty() {
        return Confidence.maxUncertainty(cache.task(), spec.numClasses());
    }

    public FeatureCache cache() {
        return cache;
    }

    /** The entropy threshold whose cost on this set is closest to {@code cost}: a cost-matched baseline. */
    public double entropyThresholdForCost(double cost) {
        double lo = 0, hi = maxUncertainty() + 1e-9;
        for (int it = 0; it < 40; it++) {
            double mid = (lo + hi) / 2;
            // a higher threshold stops earlier: cheaper
            if (entropy(mid).cost() > cost) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /** The seed's table: every method at one lambda and a cost-matched entropy threshold. */
    public List<PolicyResult> all(double lambda, long seed) {
        List<PolicyResult> r = new ArrayList<>();
        r.add(full());
        for (int k = 1; k <= ModelSpec.STAGES; k++) r.add(fixed(k));
        r.add(random(seed));
        PolicyResult em = routers == null ? null : em(lambda);
        r.add(entropy(em == null ? 0.5 : entropyThresholdForCost(em.cost())));
        if (em != null) r.add(em);
        r.add(oracle());
        return r;
    }

    /** Mean wall-clock ms per image at batch 1 on the serving engine, which stops at the exit the rule picks. */
    public static double time(ServingEngine engine, ImageSet set, Normalisation norm, ExitRule rule, int images) {
        BatchFiller filler = new BatchFiller(set, norm);
        int n = Math.min(images, set.count());
        int[] order = IntStream.range(0, n).toArray();
        for (int i = 0; i < Math.min(20, n); i++) {
            engine.input(1).assign(filler.fill(order, i, 1, null));
            ExitRule.run(engine, rule);
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            engine.input(1).assign(filler.fill(order, i, 1, null));
            long t0 = System.nanoTime();
            ExitRule.run(engine, rule);
            total += System.nanoTime() - t0;
        }
        return total / 1e6 / n;
    }

    /** The exit each cached image took under a result of {@link #all} ({@code seed}: the one {@code all} was given). */
    public int[] exits(PolicyResult r, long seed) {
        return switch (r.method()) {
            case "entropy" -> ExitPolicies.entropy(cache, r.parameter());
            case "em" -> ExitPolicies.em(cache, routers, r.parameter());
            case "random" -> ExitPolicies.random(cache.count(), seed);
            case "oracle" -> ExitPolicies.oracle(cache);
            case "full" -> ExitPolicies.fixed(cache.count(), ModelSpec.STAGES);
            default -> ExitPolicies.fixed(cache.count(), (int) r.parameter());
        };
    }

    public ExitRule ruleFor(PolicyResult r) {
        return switch (r.method()) {
            case "entropy" -> ExitRule.entropy(cache.task(), r.parameter());
            case "em" -> ExitRule.em(cache.task(), routers, r.parameter());
            case "full" -> ExitRule.fixed(ModelSpec.STAGES);
            default -> r.method().startsWith("fixed-exit-") ? ExitRule.fixed((int) r.parameter()) : null;
        };
    }
}
