package ai.emadaptive.support;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.model.Weights;
import ai.emadaptive.routing.RouterTrainer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A multi-label tool-presence model whose answer is known whatever the frame: every exit's classifier weights are
 * zero, so its logits are its biases. Grasper and clipper are present, hook (above 0.5 but below its threshold) and
 * irrigator are not.
 */
public final class ToolFixtures {
    private ToolFixtures() {}

    public static final List<String> TOOLS = List.of("grasper", "hook", "clipper", "irrigator");
    public static final ModelSpec SPEC = new ModelSpec(8, 32, 3, Stem.CIFAR, TOOLS.size(), HeadType.MLP);
    /** Logit of each tool at every exit. */
    public static final float[] LOGITS = {3.0f, 1.0f, 0.5f, -3.0f};
    /** Probability threshold of each tool, the same at every exit. */
    public static final double[] THRESHOLDS = {0.5, 0.8, 0.6, 0.5};
    /** Bits of the tools present: grasper and clipper. */
    public static final long PRESENT = 0b0101;

    /** The tool model, with the routers of {@link StreamingFixtures#routedModel}. */
    public static ModelArtifact toolModel(long seed) {
        Weights w = TestModels.randomisedBatchNorm(SPEC, seed);
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            w.get(Names.headOutW(e)).assign(0);
            INDArray b = w.get(Names.headOutb(e));
            for (int c = 0; c < LOGITS.length; c++) b.putScalar(c, LOGITS[c]);
        }
        double[][] thresholds = new double[ModelSpec.STAGES][];
        Arrays.fill(thresholds, THRESHOLDS);
        Manifest routed = StreamingFixtures.routedModel(seed).manifest();
        Manifest m = Manifest.of(
                        SPEC,
                        TOOLS,
                        new float[] {0.4f, 0.3f, 0.3f},
                        new float[] {0.25f, 0.2f, 0.2f},
                        routed.routers(),
                        RouterTrainer.routerFlops(SPEC, true, false),
                        new Manifest.Provenance("random", "test fixture", "2026-01-01T00:00:00Z", Map.of()))
                .withTask(TaskType.MULTI_LABEL, thresholds);
        return new ModelArtifact(m, w);
    }

    public static float probability(int tool) {
        return (float) (1 / (1 + Math.exp(-LOGITS[tool])));
    }
}
