package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** E-step, M-step and cascade targets on hand-computed inputs. */
class EmRoutingTest {
    private static final double[] COST = {0.25, 0.5, 0.75, 1.0};

    @Test
    void eStepIsASoftmaxInLogSpace() {
        // p(y|x,k) = 0.2, 0.4, 0.8, 0.8; uniform prior; lambda 0
        double[][] ll = {{Math.log(0.2), Math.log(0.4), Math.log(0.8), Math.log(0.8)}};
        double[][] q = new double[1][4];
        EmRouting.eStep(ll, COST, 0, new double[] {0.25, 0.25, 0.25, 0.25}, q, 1);
        assertArrayEquals(new double[] {0.2 / 2.2, 0.4 / 2.2, 0.8 / 2.2, 0.8 / 2.2}, q[0], 1e-12);
        // lambda 2 multiplies each by exp(-2 cost): 0.2e^-0.5, 0.4e^-1, 0.8e^-1.5, 0.8e^-2, normalised
        EmRouting.eStep(ll, COST, 2, new double[] {0.25, 0.25, 0.25, 0.25}, q, 1);
        double[] w = {0.2 * Math.exp(-0.5), 0.4 * Math.exp(-1), 0.8 * Math.exp(-1.5), 0.8 * Math.exp(-2)};
        double s = w[0] + w[1] + w[2] + w[3];
        for (int k = 0; k < 4; k++) assertEquals(w[k] / s, q[0][k], 1e-12);
    }

    @Test
    void evidenceWeightRaisesLikelihoodAndCostAgainstThePrior() {
        // p(y|x,k) = 0.6, 0.99 (exit 1 unsure, exit 2 right), prior 0.9 / 0.1 towards exit 1, lambda 1, costs 0.25 /
        // 0.5:
        // weight 1 (the seed's): 0.6 e^-0.25 0.9 vs 0.99 e^-0.5 0.1 -> the prior keeps the frame at exit 1;
        // weight 25 (the default): (0.6 e^-0.25)^25 0.9 vs (0.99 e^-0.5)^25 0.1 -> the frame's own evidence sends it to
        // exit 2
        double[][] ll = {{Math.log(0.6), Math.log(0.99)}};
        double[] cost = {0.25, 0.5}, prior = {0.9, 0.1};
        double[][] q = new double[1][2];
        EmRouting.eStep(ll, cost, 1, prior, q, 1);
        double a = 0.6 * Math.exp(-0.25) * 0.9, b = 0.99 * Math.exp(-0.5) * 0.1;
        assertEquals(a / (a + b), q[0][0], 1e-12);
        assertTrue(q[0][0] > 0.5);
        EmRouting.eStep(ll, cost, 1, prior, q, 25);
        a = Math.pow(0.6 * Math.exp(-0.25), 25) * 0.9;
        b = Math.pow(0.99 * Math.exp(-0.5), 25) * 0.1;
        assertEquals(a / (a + b), q[0][0], 1e-12);
        assertTrue(q[0][0] < 0.05);
    }

    @Test
    void eStepSurvivesVeryNegativeLogLikelihoods() {
        double[][] ll = {{-2000, -1000, -1001, -3000}};
        double[][] q = new double[1][4];
        EmRouting.eStep(ll, COST, 0, new double[] {0.25, 0.25, 0.25, 0.25}, q, 1);
        assertEquals(1 / (1 + Math.exp(-1)), q[0][1], 1e-12);
        assertEquals(0, q[0][0], 1e-300);
    }

    @Test
    void mStepAveragesPosteriorsWithAFloor() {
        double[][] q = {{1, 0, 0, 0}, {0.5, 0.5, 0, 0}};
        double[] pi = EmRouting.mStep(q);
        double z = 1 + 4 * EmRouting.PRIOR_EPS;
        assertArrayEquals(new double[] {(0.75 + 1e-6) / z, (0.25 + 1e-6) / z, 1e-6 / z, 1e-6 / z}, pi, 1e-12);
    }

    @Test
    void largerLambdaMovesMassToEarlierExits() {
        double[][] ll = new double[50][4];
        java.util.Random rnd = new java.util.Random(3);
        for (double[] row : ll) for (int k = 0; k < 4; k++) row[k] = Math.log(0.1 + 0.9 * rnd.nextDouble()) + 0.3 * k;
        double previous = Double.MAX_VALUE;
        for (double lambda : new double[] {0, 1, 2, 4, 8}) {
            EmRouting.Result r = EmRouting.fit(ll, COST, lambda, 5, 1);
            double expectedCost = 0;
            for (int k = 0; k < 4; k++) expectedCost += r.prior()[k] * COST[k];
            assertTrue(expectedCost < previous, "lambda " + lambda + ": expected cost " + expectedCost);
            previous = expectedCost;
            assertEquals(1, java.util.Arrays.stream(r.prior()).sum(), 1e-9);
        }
    }

    @Test
    void cascadeTargetsAreConditionalPosteriors() {
        double[][] t = EmRouting.cascadeTargets(new double[][] {{0.1, 0.2, 0.3, 0.4}, {0, 0, 0, 1}});
        assertArrayEquals(new double[] {0.1, 0.2 / 0.9, 0.3 / 0.7}, t[0], 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, t[1], 1e-12);
    }
}
