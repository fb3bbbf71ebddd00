package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.data.BatchFiller;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import ai.emadaptive.support.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Frames routed live on the engine take the exits the cached evaluation predicts, and stop there. */
class RoutedRunTest {
    private static final ModelSpec SPEC = new ModelSpec(8, 16, 3, Stem.CIFAR, 5, HeadType.MLP);

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    /** A model, an image set and routers with random directions, standardised on the set as trained ones are. */
    private record Fixture(ImageSet set, Normalisation norm, Weights w, FeatureCache cache, RouterSet routers, int n) {}

    private static Fixture fixture() {
        Random rnd = new Random(2);
        int n = 40;
        byte[] px = new byte[n * 16 * 16 * 3];
        rnd.nextBytes(px);
        ImageSet set = new ImageSet(List.of("a", "b", "c", "d", "e"), 16, px, new int[n]);
        Normalisation norm = new Normalisation(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.3f, 0.3f, 0.3f});
        Weights w = TestModels.randomisedBatchNorm(SPEC, 4);
        FeatureCache cache = FeatureCache.of(w, set, norm, 8, true);
        List<Router> routers = new ArrayList<>();
        for (int e = 1; e < 4; e++) {
            // standardised like a trained router, random directions: decisions vary from frame to frame
            int d = SPEC.stageChannels(e) + 3;
            double[] weights = new double[d];
            double[] mean = new double[d];
            double[] std = new double[d];
            for (int i = 0; i < n; i++) {
                double[] x = Router.inputs(
                        ai.emadaptive.model.TaskType.SINGLE_LABEL,
                        cache.features()[e - 1][i],
                        cache.logits()[e - 1][i],
                        true,
                        false);
                for (int k = 0; k < d; k++) {
                    mean[k] += x[k] / n;
                    std[k] += x[k] * x[k] / n;
                }
            }
            for (int k = 0; k < d; k++) {
                std[k] = Math.sqrt(Math.max(1e-12, std[k] - mean[k] * mean[k])) + 1e-6;
                weights[k] = rnd.nextGaussian() * 2 / Math.sqrt(d);
            }
            routers.add(new Router(e, true, mean, std, weights, 0.6, -1.2));
        }
        return new Fixture(set, norm, w, cache, new RouterSet("test", routers, new double[] {0, 4}, 1, 0.5, null), n);
    }

    @Test
    void liveRoutingMatchesTheCacheAndStopsEarly() {
        Fixture fx = fixture();
        ImageSet set = fx.set();
        Normalisation norm = fx.norm();
        Weights w = fx.w();
        FeatureCache cache = fx.cache();
        RouterSet set3 = fx.routers();
        int n = fx.n();
        ServingEngine engine = new ServingEngine(w, 4);
        BatchFiller filler = new BatchFiller(set, norm);
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        java.util.Set<Integer> exitsSeen = new java.util.HashSet<>();
        for (double lambda : new double[] {0, 2, 5}) {
            int[] expected = ExitPolicies.em(cache, set3, lambda);
            ExitRule rule = ExitRule.em(set3, lambda);
            int[] live = new int[n];
            for (int i = 0; i < n; i++) {
                engine.input(1).assign(filler.fill(order, i, 1, null));
                long stage4 = engine.stageRuns(4);
                live[i] = ExitRule.run(engine, rule);
                assertTrue(
                        live[i] == 4 || engine.stageRuns(4) == stage4,
                        "a frame leaving at " + live[i] + " ran stage 4");
            }
            assertArrayEquals(expected, live, "lambda " + lambda);
            for (int x : live) exitsSeen.add(x);
        }
        assertTrue(exitsSeen.size() >= 3, "the routers spread frames over exits: " + exitsSeen);
        double threshold = 1.2;
        int[] expected = ExitPolicies.entropy(cache, threshold);
        ExitRule rule = ExitRule.entropy(threshold);
        for (int i = 0; i < n; i++) {
            engine.input(1).assign(filler.fill(order, i, 1, null));
            assertTrue(expected[i] == ExitRule.run(engine, rule), "entropy, image " + i);
        }
    }

    /**
     * A micro-batch whose frames run at different lambdas, some pinned to an exit, gives every frame the exit,
     * label and confidence it gets alone; later stages run on the frames still in the batch only.
     */
    @Test
    void batchRoutingMatchesFrameByFrameRouting() {
        Fixture fx = fixture();
        int n = fx.n();
        int batch = 8;
        ai.emadaptive.artifact.Manifest manifest = ai.emadaptive.artifact.Manifest.of(
                SPEC,
                fx.set().classes(),
                fx.norm().mean(),
                fx.norm().std(),
                fx.routers().toJson(),
                RouterTrainer.routerFlops(SPEC, true, false),
                null);
        ServingEngine single = new ServingEngine(fx.w(), 1);
        ServingEngine batched = new ServingEngine(fx.w(), batch);
        BatchRouter router = new BatchRouter(batched, manifest, fx.routers());
        BatchFiller filler = new BatchFiller(fx.set(), fx.norm());
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        double[] lambdas = {0, 1, 2, 5};
        double[] lambda = new double[batch];
        int[] pinned = new int[batch];
        java.util.Set<Integer> exitsSeen = new java.util.HashSet<>();
        for (int start = 0; start + batch <= n; start += batch) {
            batched.input(batch).assign(filler.fill(order, start, batch, null));
            for (int i = 0; i < batch; i++) {
                lambda[i] = lambdas[(start + i) % lambdas.length];
                pinned[i] = (start + i) % 7 == 0 ? 1 + (start + i) % 4 : 0;
            }
            long stage4 = batched.stageRuns(4);
            router.run(batch, lambda, pinned);
            boolean anyFull = false;
            for (int i = 0; i < batch; i++) {
                single.input(1).assign(filler.fill(order, start + i, 1, null));
                ExitRule rule = pinned[i] != 0 ? ExitRule.fixed(pinned[i]) : ExitRule.em(fx.routers(), lambda[i]);
                int exit = ExitRule.run(single, rule);
                org.junit.jupiter.api.Assertions.assertEquals(exit, router.exit[i], "frame " + (start + i));
                org.nd4j.linalg.api.ndarray.INDArray logits = single.run(single.input(1), exit);
                int best = logits.argMax(1).getInt(0);
                org.junit.jupiter.api.Assertions.assertEquals(best, router.label[i], "label of frame " + (start + i));
                double p = org.nd4j.linalg.ops.transforms.Transforms.softmax(logits.dup())
                        .getDouble(0, best);
                org.junit.jupiter.api.Assertions.assertEquals(p, router.confidence[i], 1e-4);
                double expectedCost = pinned[i] != 0
                        ? (double) new ai.emadaptive.model.Flops(SPEC).fixedExit(exit)
                                / new ai.emadaptive.model.Flops(SPEC).fullNetwork()
                        : manifest.exits().get(exit - 1).normalisedCost();
                org.junit.jupiter.api.Assertions.assertEquals(expectedCost, router.cost[i], 1e-12);
                anyFull |= exit == 4;
                exitsSeen.add(exit);
            }
            assertTrue(anyFull || batched.stageRuns(4) == stage4, "stage 4 ran though every frame left earlier");
        }
        assertTrue(exitsSeen.size() >= 3, "frames spread over exits: " + exitsSeen);
    }
}
