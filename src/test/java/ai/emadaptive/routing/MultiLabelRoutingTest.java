package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.data.ImageSet;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.TaskType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Multi-label evidence, EM steps, baselines, AP/mAP, F1 and thresholds on hand-made logits with hand-computed values. */
class MultiLabelRoutingTest {
    private static final ModelSpec SPEC = new ModelSpec(8, 32, 3, ai.emadaptive.model.Stem.CIFAR, 2, HeadType.MLP);
    private static final byte P = ImageSet.PRESENT, A = ImageSet.ABSENT, U = ImageSet.UNKNOWN;

    private static float logit(double p) {
        return (float) Math.log(p / (1 - p));
    }

    /**
     * Two tools, three frames. Frame 0 {tool 0}: exit 1 already 0.9/0.1. Frame 1 {tool 0, tool 1}: exits 1-2 miss tool 1
     * (0.8/0.3), exits 3-4 see it (0.8/0.7). Frame 2: tool 0 absent, tool 1 not labelled; exit 1 says 0.6 for tool 0.
     */
    private static FeatureCache cache() {
        float[][][] logits = new float[4][3][];
        for (int e = 0; e < 4; e++) {
            logits[e][0] = new float[] {logit(0.9), logit(0.1)};
            logits[e][1] = e < 2 ? new float[] {logit(0.8), logit(0.3)} : new float[] {logit(0.8), logit(0.7)};
            logits[e][2] = e == 0 ? new float[] {logit(0.6), logit(0.5)} : new float[] {logit(0.2), logit(0.5)};
        }
        byte[] targets = {P, A, P, P, A, U};
        return new FeatureCache(logits, new float[3][3][4], new int[] {0, -1, -1}, TaskType.MULTI_LABEL, targets, null);
    }

    @Test
    void evidenceIsTheLogLikelihoodOfTheKnownLabelVector() {
        double[][] ll = cache().logLikelihoods();
        assertEquals(Math.log(0.9) + Math.log(0.9), ll[0][0], 1e-6);
        assertEquals(Math.log(0.8) + Math.log(0.3), ll[1][0], 1e-6);
        assertEquals(Math.log(0.8) + Math.log(0.7), ll[1][3], 1e-6);
        // frame 2's tool 1 is not labelled: only tool 0 (absent) counts
        assertEquals(Math.log(0.4), ll[2][0], 1e-6);
        assertEquals(Math.log(0.8), ll[2][1], 1e-6);
    }

    @Test
    void eAndMStepsOnTheMultiLabelEvidence() {
        double[][] ll = cache().logLikelihoods();
        double[] cost = {0.25, 0.5, 0.75, 1.0};
        double[] prior = {0.25, 0.25, 0.25, 0.25};
        double[][] q = new double[3][4];
        EmRouting.eStep(ll, cost, 1.0, prior, q, 1.0);
        // frame 1, by hand: q_k proportional to exp(ll_k - cost_k) (uniform prior)
        double[] u = new double[4];
        double sum = 0;
        for (int k = 0; k < 4; k++) sum += u[k] = Math.exp(ll[1][k] - cost[k]);
        for (int k = 0; k < 4; k++) assertEquals(u[k] / sum, q[1][k], 1e-12);
        double[] pi = EmRouting.mStep(q);
        double expected0 = (q[0][0] + q[1][0] + q[2][0]) / 3;
        assertEquals((expected0 + EmRouting.PRIOR_EPS) / (1 + 4 * EmRouting.PRIOR_EPS), pi[0], 1e-12);
        // the exits that see tool 1 on frame 1 win it the deep posterior mass
        assertTrue(q[1][2] + q[1][3] > q[1][0] + q[1][1]);
    }

    @Test
    void exactSetAccuracyOracleAndUncertaintyBaseline() {
        FeatureCache c = cache();
        // frame 0 right everywhere; frame 1 right from exit 3; frame 2 (tool 0 absent) wrong at exit 1 only
        assertTrue(c.correct(1, 0));
        assertTrue(!c.correct(2, 1) && c.correct(3, 1));
        assertTrue(!c.correct(1, 2) && c.correct(2, 2));
        assertArrayEquals(new int[] {1, 3, 2}, ExitPolicies.oracle(c));
        Evaluation eval = new Evaluation(SPEC, c, null);
        assertEquals(1.0 / 3, eval.fixed(1).accuracy(), 1e-12);
        assertEquals(1.0, eval.full().accuracy(), 1e-12);
        assertEquals(Math.log(2), eval.maxUncertainty(), 1e-12);
        // largest binary entropy: frame 0 at exit 1 is H(0.1) = 0.325 nats; frame 2's unlabelled 0.5 keeps it at ln 2
        double h01 = -(0.1 * Math.log(0.1) + 0.9 * Math.log(0.9));
        assertArrayEquals(new int[] {1, 4, 4}, ExitPolicies.entropy(c, h01 + 1e-6));
    }

    @Test
    void averagePrecisionAndF1ByHand() {
        FeatureCache c = cache();
        ToolMetrics full = ToolMetrics.of(c, ExitPolicies.fixed(3, 4), List.of("grasper", "hook"));
        // tool 0: scores 0.9 (P), 0.8 (P), 0.2 (A): both positives ranked first: AP 1
        assertEquals(1.0, full.ap()[0], 1e-9);
        // tool 1: scores 0.1 (A), 0.7 (P); frame 2 unlabelled: AP 1
        assertEquals(1.0, full.ap()[1], 1e-9);
        assertEquals(1.0, full.map(), 1e-9);
        assertArrayEquals(new int[] {2, 1}, full.positives());
        ToolMetrics exit1 = ToolMetrics.of(c, ExitPolicies.fixed(3, 1), List.of("grasper", "hook"));
        // tool 0 at exit 1: 0.9 P, 0.8 P, 0.6 A -> AP 1; at 0.5: TP 2, FP 1 -> F1 4/5
        assertEquals(1.0, exit1.ap()[0], 1e-9);
        assertEquals(0.8, exit1.f1()[0], 1e-9);
        // tool 1 at exit 1: 0.1 A, 0.3 P -> AP 1, but nothing called at 0.5: F1 0
        assertEquals(0.0, exit1.f1()[1], 1e-9);
        // the only single-tool frame is frame 0 (label 0), right at exit 1
        assertEquals(1, exit1.singleToolFrames());
        assertEquals(1.0, exit1.singleToolAccuracy(), 1e-12);
    }

    @Test
    void averagePrecisionWithMisorderedAndTiedScores() {
        List<double[]> s = new ArrayList<>();
        s.add(new double[] {0.9, 0});
        s.add(new double[] {0.8, 1});
        s.add(new double[] {0.7, 0});
        s.add(new double[] {0.6, 1});
        // positives at ranks 2 and 4: (1/2 + 2/4) / 2
        assertEquals(0.5, ToolMetrics.averagePrecision(s), 1e-12);
        List<double[]> tied = List.of(new double[] {0.5, 1}, new double[] {0.5, 0});
        // one step: recall 1 at precision 1/2
        assertEquals(0.5, ToolMetrics.averagePrecision(tied), 1e-12);
        assertTrue(Double.isNaN(ToolMetrics.averagePrecision(List.of(new double[] {0.5, 0}))));
        assertTrue(
                Double.isNaN(ToolMetrics.averagePrecision(List.of(new double[] {0.5, 1}, new double[] {0.2, 1}))),
                "only positives (a clip-level label): any ranking would score 1, so no AP");
    }

    @Test
    void thresholdsMaximiseF1OnTheImagesGiven() {
        List<double[]> s =
                List.of(new double[] {0.9, 1}, new double[] {0.35, 1}, new double[] {0.3, 0}, new double[] {0.1, 0});
        // calling the top two present is perfect: the threshold falls between 0.35 and 0.3
        assertEquals(0.325, Thresholds.bestF1(s), 1e-12);
        assertEquals(0.5, Thresholds.bestF1(List.of(new double[] {0.2, 0})), 0, "no positive: even odds");
        double[][] t = Thresholds.choose(cache());
        // tool 1 at exit 1: 0.3 (P) above 0.1 (A) -> 0.2; at exit 4: 0.7 (P) above 0.1 (A) -> 0.4
        assertEquals(0.2, t[0][1], 1e-6);
        assertEquals(0.4, t[3][1], 1e-6);
        FeatureCache tuned = cache().withThresholds(t);
        assertTrue(tuned.correct(1, 1), "with its own threshold exit 1 sees tool 1 on frame 1");
    }
}
