package ai.emadaptive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import ai.emadaptive.support.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oneDNN engine (fused post-ops, packed weights, identity blocks in place) against the unfused libnd4j engine,
 * and the ONNX Runtime backend against the engine, on random weights, through a routed pass: every exit's logits and pooled features, with rows leaving between stages
 * so the in-place buffers and row moves are exercised together.
 */
class KernelsEquivalenceTest {
    private static final double TOLERANCE = 1e-4;

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @ParameterizedTest
    @CsvSource({
        "16, 32, CIFAR, MLP",
        "16, 32, CIFAR, CONV",
        "8, 64, IMAGENET, CONV",
        "16, 64, COMPACT, CONV",
        "12, 64, COMPACT, CONV"
    })
    void oneDnnMatchesLibnd4jOnARoutedPass(int width, int size, Stem stem, HeadType head) {
        assertEquals(
                ServingEngine.Kernels.ONEDNN, ServingEngine.Kernels.forBackend(), "the CPU backend serves with oneDNN");
        ModelSpec spec = new ModelSpec(width, size, 3, stem, 10, head);
        Weights w = TestModels.randomisedBatchNorm(spec, 3);
        FoldedWeights folded = new FoldedWeights(w);
        int n = 6;
        INDArray x = Nd4j.randn(DataType.FLOAT, n, size, size, 3);
        try (ServingEngine fused = new ServingEngine(folded, spec, 8, ServingEngine.Kernels.ONEDNN);
                ServingEngine reference = new ServingEngine(folded, spec, 8, ServingEngine.Kernels.ND4J)) {
            assertSameRoutedPass(reference, fused, x);
        }
    }

    @ParameterizedTest
    @CsvSource({"16, 32, CIFAR, MLP", "8, 64, IMAGENET, CONV"})
    void onnxRuntimeMatchesTheEngineOnARoutedPass(int width, int size, Stem stem, HeadType head) {
        ModelSpec spec = new ModelSpec(width, size, 3, stem, 10, head);
        Weights w = TestModels.randomisedBatchNorm(spec, 4);
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, size, size, 3);
        try (ServingEngine engine = new ServingEngine(new FoldedWeights(w), spec, 8);
                OrtEngine ort = new OrtEngine(w, 8, 1)) {
            assertSameRoutedPass(engine, ort, x);
            assertEquals(1, ort.stageRuns(4), "stage 4 ran once, for the rows left");
        }
    }

    /** Rows 0..5 leave one or two per exit: keep() moves the rest to the front of the buffers. */
    private static void assertSameRoutedPass(InferenceEngine reference, InferenceEngine candidate, INDArray x) {
        InferenceEngine.Pass a = start(candidate, x), b = start(reference, x);
        int[][] keep = {{1, 2, 3, 4, 5}, {0, 2, 3, 4}, {1, 3}};
        for (int s = 1; s <= ModelSpec.STAGES; s++) {
            a.advance();
            b.advance();
            assertClose(b.head(), a.head(), "exit " + s + " logits");
            assertClose(b.feature(), a.feature(), "stage " + s + " features");
            if (s <= keep.length) {
                a.keep(keep[s - 1], keep[s - 1].length);
                b.keep(keep[s - 1], keep[s - 1].length);
            }
        }
        assertEquals(2, a.rows());
    }

    private static InferenceEngine.Pass start(InferenceEngine engine, INDArray x) {
        int n = (int) x.size(0);
        engine.input(n).assign(x);
        return engine.start(n);
    }

    private static void assertClose(INDArray expected, INDArray got, String what) {
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 1e-3, what + " are not degenerate");
        double diff = expected.sub(got).amaxNumber().doubleValue();
        assertTrue(
                diff <= TOLERANCE * Math.max(1, scale),
                what + ": max abs difference " + diff + " (scale " + scale + ")");
    }
}
