package ai.emadaptive.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import ai.emadaptive.support.TestModels;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J layer-API baseline and the serving engine compute the same logits at every exit. The two share no
 * code past the weights, so this also checks the engine's libnd4j argument conventions and its BN folding.
 */
class LayerApiBaselineTest {
    private static final int BATCH = 3;
    private static final double TOLERANCE = 1e-4;

    @BeforeAll
    static void floats() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    static Stream<ModelSpec> specs() {
        return Stream.of(
                new ModelSpec(8, 32, 3, Stem.CIFAR, 10, HeadType.MLP),
                new ModelSpec(8, 32, 3, Stem.CIFAR, 10, HeadType.CONV),
                new ModelSpec(8, 64, 3, Stem.IMAGENET, 10, HeadType.MLP),
                new ModelSpec(8, 64, 3, Stem.IMAGENET, 10, HeadType.CONV));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void logitsMatchTheEngineAtEveryExit(ModelSpec spec) {
        Weights weights = TestModels.randomisedBatchNorm(spec, 7);
        ServingEngine engine = new ServingEngine(weights, BATCH);
        Nd4j.getRandom().setSeed(13);
        INDArray nchw = Nd4j.randn(DataType.FLOAT, BATCH, spec.inChannels(), spec.inputSize(), spec.inputSize());
        INDArray nhwc = nchw.permute(0, 2, 3, 1).dup('c');
        for (int exit : spec.exits()) {
            ComputationGraph graph = LayerApiBaseline.build(spec, exit);
            LayerApiBaseline.copyWeights(weights, graph, exit);
            INDArray expected = graph.outputSingle(nchw);
            INDArray actual = engine.run(nhwc, exit).dup();
            assertArrayEquals(new long[] {BATCH, spec.numClasses()}, expected.shape());
            double diff = expected.sub(actual).amaxNumber().doubleValue();
            // two float32 implementations with different summation orders: relative to the logit scale
            double tolerance = TOLERANCE * Math.max(1, expected.amaxNumber().doubleValue());
            assertTrue(
                    diff <= tolerance,
                    spec + " exit " + exit + ": max |baseline - engine| = " + diff + "\nbaseline " + expected
                            + "\nengine   " + actual);
        }
    }

    @Test
    void copyWeightsRejectsAnotherArchitecture() {
        ModelSpec spec = new ModelSpec(8, 32, 3, Stem.CIFAR, 10, HeadType.MLP);
        Weights wider = Weights.init(new ModelSpec(16, 32, 3, Stem.CIFAR, 10, HeadType.MLP), 1);
        ComputationGraph graph = LayerApiBaseline.build(spec, 1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LayerApiBaseline.copyWeights(wider, graph, 1));
        assertTrue(e.getMessage().contains("stem.conv.W"), e.getMessage());
    }
}
