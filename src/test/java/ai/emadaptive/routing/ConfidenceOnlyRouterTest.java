package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfidenceOnlyRouterTest {

    /**
     * Frames of two "videos": the pooled feature says which video a frame is from, and in the routing frames the early
     * exits happen to be right on video 0 only, as a small routing set from few videos can make them.
     */
    private static FeatureCache twoVideos(int n, long seed, boolean earlyRightOnVideo0) {
        Random rnd = new Random(seed);
        float[][][] logits = new float[4][n][];
        float[][][] features = new float[3][n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int video = i % 2;
            double difficulty = rnd.nextDouble();
            for (int e = 0; e < 4; e++) {
                boolean right = e == 3 || (earlyRightOnVideo0 ? video == 0 : difficulty < 0.5);
                float[] l = new float[10];
                l[right ? 0 : 1 + rnd.nextInt(9)] = (float) (right ? 4 + rnd.nextDouble() : 0.5 + rnd.nextDouble());
                logits[e][i] = l;
                if (e < 3) features[e][i] = new float[] {video * 5f + (float) rnd.nextGaussian() * 0.1f, 0f};
            }
        }
        return new FeatureCache(logits, features, labels);
    }

    private static RouterTrainer.Options options(boolean confidenceOnly) {
        RouterTrainer.Options d = RouterTrainer.Options.defaults(true);
        return new RouterTrainer.Options(
                d.lambdas(), d.emIterations(), d.evidenceWeight(), true, confidenceOnly, 10, d.lr(), d.batch(), 1);
    }

    @Test
    void aConfidenceOnlyRouterIgnoresThePooledFeature() {
        FeatureCache c = twoVideos(400, 3, false);
        RouterSet routers = RouterTrainer.train(c, new double[] {0.3, 0.55, 0.8, 1.05}, options(true), 1);
        assertEquals("em-confidence", routers.method());
        for (Router r : routers.routers()) {
            assertTrue(r.confidenceOnly());
            assertEquals(3, r.w().length, "three confidence inputs");
        }
        float[] logits = c.logits()[0][0];
        Router r1 = routers.router(1);
        double p = r1.probability(c.task(), new float[] {0, 0}, logits, 1);
        assertEquals(p, r1.probability(c.task(), new float[] {5, -3}, logits, 1), 0, "the feature is not read");
        assertNotEquals(p, r1.probability(c.task(), new float[] {0, 0}, new float[10], 1), "the confidence is");
        assertThrows(IllegalArgumentException.class, () -> new Router(1, false, true, null, null, new double[0], 0, 0));
    }

    @Test
    void routersOfTheFeatureLearnTheRoutingVideosAndConfidenceOnlyOnesDoNot() {
        // fitted where the early exits are right on video 0 only, the feature router learns "video 0: leave early"; on
        // new frames whose early exits are right by difficulty, whatever the video, it sends video 0's hard frames out
        // early. The confidence-only router reads how sure each exit is, which is what carries over.
        FeatureCache fit = twoVideos(600, 5, true), test = twoVideos(600, 6, false);
        double[] cost = {0.3, 0.55, 0.8, 1.05};
        RouterSet feature = RouterTrainer.train(fit, cost, options(false), 1);
        RouterSet confidence = RouterTrainer.train(fit, cost, options(true), 1);
        int[] byFeature = ExitPolicies.em(test, feature, 1), byConfidence = ExitPolicies.em(test, confidence, 1);
        int wrongFeature = 0, wrongConfidence = 0, earlyConfidence = 0;
        for (int i = 0; i < test.count(); i++) {
            if (byConfidence[i] < 4) earlyConfidence++;
            if (!test.correct(byFeature[i], i)) wrongFeature++;
            if (!test.correct(byConfidence[i], i)) wrongConfidence++;
        }
        assertTrue(earlyConfidence > 150, "the confidence-only router still saves: " + earlyConfidence + " early");
        assertTrue(wrongFeature > 50, "the feature router sends wrong frames out early: " + wrongFeature);
        assertTrue(
                wrongConfidence < wrongFeature / 3,
                "confidence-only " + wrongConfidence + " early mistakes, feature " + wrongFeature);
    }

    @Test
    void routersWrittenBeforeConfidenceOnlyReadAsFeatureRouters() throws Exception {
        Router r = new Router(1, true, new double[] {0, 0}, new double[] {1, 1}, new double[] {1, 2}, 0.5, -1);
        RouterSet set =
                new RouterSet("em-confidence-feature", java.util.List.of(r, r, r), new double[] {0}, 0, 0.5, 25.0);
        ObjectNode json = (ObjectNode) set.toJson();
        for (var node : json.get("routers")) ((ObjectNode) node).remove("confidenceOnly");
        RouterSet back = RouterSet.fromJson(new ObjectMapper().readTree(json.toString()));
        assertFalse(back.router(1).confidenceOnly());
        assertArrayEquals(r.w(), back.router(1).w());
        Router c = new Router(2, true, true, new double[3], new double[] {1, 1, 1}, new double[3], 0.5, -1);
        RouterSet withC = new RouterSet("em-confidence", java.util.List.of(c, c, c), new double[] {0}, 0, 0.5, 25.0);
        assertTrue(RouterSet.fromJson(withC.toJson()).router(2).confidenceOnly());
    }
}
