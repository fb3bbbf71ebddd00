package ai.emadaptive.routing;

import ai.emadaptive.model.ModelSpec;
import java.util.Random;

/** Which exit each cached image takes under each method of the evaluation. Exits are 1..4. */
public final class ExitPolicies {
    private ExitPolicies() {}

    public static int[] fixed(int n, int exit) {
        int[] e = new int[n];
        java.util.Arrays.fill(e, exit);
        return e;
    }

    /** A uniformly random exit per image (the seed picks one per batch; per image has the same expectation). */
    public static int[] random(int n, long seed) {
        Random rnd = new Random(seed);
        int[] e = new int[n];
        for (int i = 0; i < n; i++) e[i] = 1 + rnd.nextInt(ModelSpec.STAGES);
        return e;
    }

    /**
     * "BranchyNet": the first exit whose uncertainty (softmax entropy, or a multi-label head's largest binary entropy)
     * is below the threshold; the last exit otherwise.
     */
    public static int[] entropy(FeatureCache c, double threshold) {
        int[] e = new int[c.count()];
        for (int i = 0; i < c.count(); i++) {
            int k = 1;
            while (k < ModelSpec.STAGES && Confidence.uncertainty(c.task(), c.logits()[k - 1][i]) >= threshold) k++;
            e[i] = k;
        }
        return e;
    }

    public static int[] em(FeatureCache c, RouterSet routers, double lambda) {
        int[] e = new int[c.count()];
        for (int i = 0; i < c.count(); i++) e[i] = routers.route(c, i, lambda);
        return e;
    }

    /** The earliest exit that is correct (multi-label: the exact tool set at its thresholds); the last exit when none is. */
    public static int[] oracle(FeatureCache c) {
        int[] e = new int[c.count()];
        for (int i = 0; i < c.count(); i++) {
            int k = 1;
            while (k < ModelSpec.STAGES && !c.correct(k, i)) k++;
            e[i] = k;
        }
        return e;
    }
}
