package ai.emadaptive.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import ai.emadaptive.support.TestModels;
import ai.emadaptive.train.Adam;
import ai.emadaptive.train.LrSchedule;
import ai.emadaptive.train.MultiExitNetwork;
import ai.emadaptive.train.MultiExitTrainer;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The serving engine (BN folded, stage by stage) computes what the training graph computes in inference mode. */
class EngineEquivalenceTest {
    private static final double TOLERANCE = 1e-4;

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @ParameterizedTest
    @CsvSource({
        "16, 32, CIFAR, MLP",
        "16, 32, CIFAR, CONV",
        "8, 64, IMAGENET, MLP",
        "64, 32, CIFAR, MLP",
        "16, 64, COMPACT, CONV"
    })
    void randomWeightsMatchEveryExitAndBatchSize(int width, int size, Stem stem, HeadType head) {
        ModelSpec spec = new ModelSpec(width, size, 3, stem, 10, head);
        Weights w = TestModels.randomisedBatchNorm(spec, 11);
        assertEquivalent(w, 5, 5);
    }

    @Test
    void trainedWeightsMatch() {
        ModelSpec spec = new ModelSpec(8, 32, 3, Stem.CIFAR, 4, HeadType.CONV);
        Weights w = Weights.init(spec, 5);
        MultiExitNetwork net = new MultiExitNetwork(w);
        MultiExitTrainer trainer = new MultiExitTrainer(net, new Adam(), LrSchedule.constant(1e-3), false);
        Random rnd = new Random(2);
        INDArray x = Nd4j.randn(DataType.FLOAT, 16, 32, 32, 3);
        int[] labels = rnd.ints(16, 0, 4).toArray();
        for (int i = 0; i < 5; i++) trainer.step(x, labels, new double[] {1, 1, 1, 1});
        assertEquivalent(w, 16, 3);
    }

    private static void assertEquivalent(Weights w, int maxBatch, int batch) {
        ModelSpec spec = w.spec();
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, spec.inputSize(), spec.inputSize(), 3);
        INDArray[] expected = new MultiExitNetwork(w).forward(x, false, false);
        ServingEngine engine = new ServingEngine(w, maxBatch);
        for (int e = 1; e <= 4; e++) {
            INDArray got = engine.run(x, e);
            assertArrayEquals(expected[e].shape(), got.shape());
            double diff = expected[e].sub(got).amaxNumber().doubleValue();
            double scale = expected[e].amaxNumber().doubleValue();
            assertTrue(scale > 1e-3, "logits are not degenerate");
            assertTrue(
                    diff <= TOLERANCE, "exit " + e + ": max abs difference " + diff + " (logit scale " + scale + ")");
        }
        // a single frame through the same engine (another batch size, another plan)
        INDArray one =
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();
        INDArray got = engine.run(one, 4);
        assertEquals(0.0, expected[4].getRow(0).sub(got.getRow(0)).amaxNumber().doubleValue(), TOLERANCE);
    }
}
