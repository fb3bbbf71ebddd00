package ai.emadaptive.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A few optimiser steps on a small synthetic task lower every exit's loss. */
class OptimiserTest {
    private static final int N = 32;
    private static final ModelSpec SPEC = new ModelSpec(8, 16, 3, Stem.CIFAR, 3, HeadType.MLP);
    private static INDArray x;
    private static int[] labels;

    @BeforeAll
    static void data() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        // class c brightens channel c: learnable, not trivially separable under the noise
        Random rnd = new Random(1);
        labels = new int[N];
        x = Nd4j.randn(DataType.FLOAT, N, 16, 16, 3);
        for (int i = 0; i < N; i++) {
            labels[i] = i % 3;
            x.get(
                            org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(labels[i]))
                    .addi(0.7);
        }
    }

    private static double[] train(MultiExitTrainer trainer, int steps) {
        double[] first = trainer.step(x, labels, new double[] {1, 1, 1, 1});
        double[] last = first;
        for (int i = 1; i < steps; i++) last = trainer.step(x, labels, new double[] {1, 1, 1, 1});
        for (int e = 0; e < 4; e++) {
            assertTrue(last[e] < 0.8 * first[e], "exit " + (e + 1) + ": loss " + first[e] + " -> " + last[e]);
        }
        return last;
    }

    @Test
    void nesterovSgdWithCosineScheduleLowersEveryExit() {
        MultiExitNetwork net = new MultiExitNetwork(Weights.init(SPEC, 1));
        train(new MultiExitTrainer(net, new Sgd(0.9, 5e-4, true), LrSchedule.cosine(0.05, 0, 40, 2), false), 15);
    }

    @Test
    void adamLowersEveryExit() {
        MultiExitNetwork net = new MultiExitNetwork(Weights.init(SPEC, 2));
        train(new MultiExitTrainer(net, new Adam(), LrSchedule.constant(5e-3), false), 25);
    }

    @Test
    void frozenBackboneTrainsHeadsOnly() {
        Weights w = Weights.init(SPEC, 3);
        Weights before = w.copy();
        MultiExitNetwork net = new MultiExitNetwork(w);
        train(new MultiExitTrainer(net, new Adam(), LrSchedule.constant(1e-2), true), 25);
        List<String> changed = w.all().keySet().stream()
                .filter(k -> !w.get(k).equals(before.get(k)))
                .toList();
        assertTrue(changed.stream().allMatch(Names::isHead), "only head tensors change: " + changed);
        assertTrue(changed.size() >= 4, "heads changed: " + changed);
    }

    @Test
    void cosineScheduleWarmsUpThenDecaysToTheMinimum() {
        LrSchedule s = LrSchedule.cosine(0.1, 0.001, 100, 10);
        assertEquals(0.01, s.at(0), 1e-12);
        assertEquals(0.1, s.at(10), 1e-12);
        assertEquals(0.0505, s.at(55), 1e-12);
        assertEquals(0.001, s.at(100), 1e-12);
        assertTrue(s.at(30) > s.at(60));
    }
}
