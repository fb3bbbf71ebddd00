package ai.emadaptive.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.support.StreamingFixtures;
import ai.emadaptive.support.ToolFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Per-class probabilities and the present mask of routed frames, multi-label and single-label. */
class ToolRoutingTest {
    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static BatchRouter run(ModelArtifact model, int n, int[] pinned) {
        Manifest m = model.manifest();
        ServingEngine engine = new ServingEngine(new FoldedWeights(model.weights()), m.spec(), n);
        BatchRouter router = new BatchRouter(engine, m, RouterSet.fromJson(m.routers()));
        Random rnd = new Random(3);
        var in = engine.input(n);
        for (long i = 0; i < in.length(); i++) in.putScalar(i, rnd.nextGaussian());
        double[] lambda = new double[n];
        java.util.Arrays.fill(lambda, 1.0);
        router.run(n, lambda, pinned);
        return router;
    }

    @Test
    void multiLabelFramesCarryEachToolsSigmoidAndTheToolsAtOrAboveTheirThresholds() {
        int[] pinned = {1, 2, 3, 4, 0, 0};
        BatchRouter r = run(ToolFixtures.toolModel(3), pinned.length, pinned);
        for (int f = 0; f < pinned.length; f++) {
            if (pinned[f] != 0) assertEquals(pinned[f], r.exit[f]);
            for (int c = 0; c < ToolFixtures.TOOLS.size(); c++) {
                assertEquals(ToolFixtures.probability(c), r.probabilities[f][c], 1e-6, "frame " + f + " tool " + c);
            }
            assertEquals(
                    ToolFixtures.PRESENT, r.present[f], "grasper and clipper; hook is above 0.5 but under its 0.8");
            assertEquals(0, r.label[f], "the top tool");
            assertEquals(ToolFixtures.probability(0), r.confidence[f], 1e-6, "its sigmoid, not a softmax");
        }
    }

    @Test
    void singleLabelFramesCarryTheSoftmaxAndTheLabelsBit() {
        int[] pinned = {1, 2, 3, 4, 0, 0, 0, 0};
        BatchRouter r = run(StreamingFixtures.routedModel(5), pinned.length, pinned);
        for (int f = 0; f < pinned.length; f++) {
            float[] p = r.probabilities[f];
            double sum = 0;
            int best = 0;
            for (int c = 0; c < p.length; c++) {
                sum += p[c];
                if (p[c] > p[best]) best = c;
            }
            assertEquals(1, sum, 1e-5);
            assertEquals(best, r.label[f]);
            assertEquals(p[best], r.confidence[f], 1e-6);
            assertEquals(1L << best, r.present[f]);
        }
    }

    @Test
    void aMultiLabelModelOfMoreThan64ClassesIsRefused() {
        ModelSpec spec = new ModelSpec(8, 32, 3, Stem.CIFAR, 65, HeadType.MLP);
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < 65; c++) classes.add("tool" + c);
        double[][] thresholds = new double[ModelSpec.STAGES][65];
        for (double[] t : thresholds) java.util.Arrays.fill(t, 0.5);
        Manifest m = Manifest.of(
                        spec,
                        classes,
                        new float[] {0.5f, 0.5f, 0.5f},
                        new float[] {0.3f, 0.3f, 0.3f},
                        null,
                        new Manifest.Provenance("random", "test", "2026-01-01T00:00:00Z", Map.of()))
                .withTask(TaskType.MULTI_LABEL, thresholds);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchRouter.requireServable(m));
        assertTrue(e.getMessage().contains("at most 64"), e.getMessage());
        BatchRouter.requireServable(Manifest.of(
                spec,
                classes,
                new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.3f, 0.3f, 0.3f},
                null,
                new Manifest.Provenance(
                        "random", "test", "2026-01-01T00:00:00Z", Map.of()))); // single-label: any number
    }
}
