package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every method of the evaluation on hand-made logits, and the routers' monotonicity in lambda. */
class BaselinesTest {
    private static final ModelSpec SPEC = ModelSpec.cifarResNet18(8, HeadType.MLP);

    /** Two classes; label 0 for every image. */
    private static float[] sure(int cls) {
        return cls == 0
                ? new float[] {5, -5, -5, -5, -5, -5, -5, -5, -5, -5}
                : new float[] {-5, 5, -5, -5, -5, -5, -5, -5, -5, -5};
    }

    /** Near-uniform, leaning to a wrong class. */
    private static final float[] UNSURE = {0, 0, 0, 0.01f, 0, 0, 0, 0, 0, 0};

    /**
     * image 0: exit 1 already sure and right; image 1: unsure until exit 3, right from exit 3;
     * image 2: sure but wrong at every exit.
     */
    private static FeatureCache cache() {
        float[][][] logits = new float[4][3][];
        for (int e = 0; e < 4; e++) {
            logits[e][0] = sure(0);
            logits[e][1] = e < 2 ? UNSURE : sure(0);
            logits[e][2] = sure(1);
        }
        float[][][] features = new float[3][3][4];
        return new FeatureCache(logits, features, new int[] {0, 0, 0});
    }

    @Test
    void fixedRandomOracleAndEntropyOnHandMadeLogits() {
        FeatureCache c = cache();
        Evaluation eval = new Evaluation(SPEC, c, null);
        assertEquals(2.0 / 3, eval.full().accuracy(), 1e-12);
        assertEquals(1.0, eval.full().cost(), 1e-12);
        assertEquals(1.0 / 3, eval.fixed(1).accuracy(), 1e-12);
        assertEquals(0.25, eval.fixed(1).nominalCost(), 1e-12);
        assertArrayEquals(new int[] {1, 3, 4}, ExitPolicies.oracle(c));
        // entropy of a sure head is ~0; of a uniform one ln 10: a threshold in between stops image 1 at exit 3
        assertArrayEquals(new int[] {1, 3, 1}, ExitPolicies.entropy(c, 0.5));
        assertArrayEquals(new int[] {1, 1, 1}, ExitPolicies.entropy(c, Math.log(10) + 1));
        assertArrayEquals(new int[] {4, 4, 4}, ExitPolicies.entropy(c, 0));
        PolicyResult ent = eval.entropy(0.5);
        assertEquals(2.0 / 3, ent.accuracy(), 1e-12);
        // entropy pays for the heads it consulted: more than the fixed exit at the same depth
        assertTrue(ent.cost() > (2 * eval.fixed(1).cost() + eval.fixed(3).cost()) / 3);
        int[] r = ExitPolicies.random(4000, 7);
        for (int k = 1; k <= 4; k++) {
            int kk = k;
            long count = java.util.Arrays.stream(r).filter(x -> x == kk).count();
            assertEquals(1000, count, 100, "exit " + k);
        }
    }

    @Test
    void routersWithPositiveBetaStopEarlierAsLambdaGrows() {
        // one input, weight 1; bias -2; beta 0.5: exit 1 when x + 0.5 lambda - 2 > 0
        Router r1 = new Router(
                1, false, new double[] {0, 0, 0, 0}, new double[] {1, 1, 1, 1}, new double[] {1, 0, 0, 0}, 0.5, -2);
        Router never = new Router(2, false, new double[4], new double[] {1, 1, 1, 1}, new double[4], 0, -50);
        RouterSet set = new RouterSet("test", List.of(r1, never, never), new double[] {0, 8}, 0, 0.5, null);
        float[][][] logits = new float[4][3][10];
        float[][][] features = new float[3][3][];
        features[0][0] = new float[] {3, 0, 0, 0};
        features[0][1] = new float[] {1, 0, 0, 0};
        features[0][2] = new float[] {-3, 0, 0, 0};
        for (int e = 1; e < 3; e++) for (int i = 0; i < 3; i++) features[e][i] = new float[4];
        FeatureCache c = new FeatureCache(logits, features, new int[3]);
        assertArrayEquals(new int[] {1, 4, 4}, ExitPolicies.em(c, set, 0));
        assertArrayEquals(new int[] {1, 1, 4}, ExitPolicies.em(c, set, 4));
        assertArrayEquals(new int[] {1, 1, 1}, ExitPolicies.em(c, set, 12));
        // the sweep's grid spans from full depth for every image (x = 3 stays at exit 4 for lambda <= -2) to exit 1
        // for every image (x = -3 leaves at exit 1 once lambda > 10): doubling finds -2 and 16
        double[] grid = Sweep.lambdaGrid(new Evaluation(SPEC, c, set), 8);
        assertEquals(-2, grid[0], 1e-12);
        assertEquals(-1, grid[1], 1e-12);
        assertEquals(0, grid[2], 1e-12);
        assertEquals(16, grid[7], 1e-12);
        assertArrayEquals(new int[] {4, 4, 4}, ExitPolicies.em(c, set, grid[0]));
        assertArrayEquals(new int[] {1, 1, 1}, ExitPolicies.em(c, set, grid[7]));
    }

    @Test
    void trainedRoutersMoveToEarlierExitsWithLargerLambda() {
        // synthetic cache: images whose early exits are right for some, wrong for others
        Random rnd = new Random(5);
        int n = 600;
        float[][][] logits = new float[4][n][];
        float[][][] features = new float[3][n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double difficulty = rnd.nextDouble();
            for (int e = 0; e < 4; e++) {
                boolean right = difficulty < 0.3 + 0.2 * e;
                float[] l = new float[10];
                l[right ? 0 : 1 + rnd.nextInt(9)] = (float) (1 + 3 * rnd.nextDouble());
                logits[e][i] = l;
                if (e < 3)
                    features[e][i] =
                            new float[] {(float) (difficulty + 0.1 * rnd.nextGaussian()), (float) rnd.nextGaussian()};
            }
        }
        FeatureCache c = new FeatureCache(logits, features, labels);
        double[] cost = {0.3, 0.55, 0.8, 1.05};
        RouterSet routers = RouterTrainer.train(c, cost, RouterTrainer.Options.defaults(true), 1);
        double previousCost = Double.MAX_VALUE;
        int[] previous = null;
        for (double lambda : new double[] {0, 1, 2, 4, 8, 16, 32}) {
            int[] exits = ExitPolicies.em(c, routers, lambda);
            double mean = java.util.Arrays.stream(exits).average().orElse(0);
            assertTrue(mean <= previousCost, "lambda " + lambda + ": mean exit " + mean);
            if (previous != null) {
                for (int i = 0; i < n; i++) assertTrue(exits[i] <= previous[i], "image " + i + " moved later");
            }
            previous = exits;
            previousCost = mean;
        }
        assertTrue(
                java.util.Arrays.stream(ExitPolicies.em(c, routers, 0))
                                .average()
                                .orElse(0)
                        > java.util.Arrays.stream(ExitPolicies.em(c, routers, 32))
                                        .average()
                                        .orElse(0)
                                + 0.5,
                "lambda matters");

        // the artifact says how the routers were fitted; older artifacts without the field still read
        assertEquals(RouterTrainer.EVIDENCE_WEIGHT, routers.evidenceWeight().doubleValue());
        RouterSet back = RouterSet.fromJson(routers.toJson());
        assertEquals(RouterTrainer.EVIDENCE_WEIGHT, back.evidenceWeight().doubleValue());
        com.fasterxml.jackson.databind.node.ObjectNode old =
                (com.fasterxml.jackson.databind.node.ObjectNode) routers.toJson();
        old.remove("evidenceWeight");
        assertNull(RouterSet.fromJson(old).evidenceWeight());
        assertEquals(routers.defaultLambda(), RouterSet.fromJson(old).defaultLambda());
    }
}
