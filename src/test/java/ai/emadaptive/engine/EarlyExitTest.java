package ai.emadaptive.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Weights;
import ai.emadaptive.support.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** An early exit executes only the stages before it (counted, not timed). */
class EarlyExitTest {
    private static ServingEngine engine;
    private static Weights weights;

    @BeforeAll
    static void build() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        weights = TestModels.randomisedBatchNorm(ModelSpec.cifarResNet18(8, HeadType.MLP), 3);
        engine = new ServingEngine(weights, 8);
    }

    private static long[] counts() {
        long[] c = new long[10];
        for (int s = 0; s <= 4; s++) c[s] = engine.stageRuns(s);
        for (int e = 1; e <= 4; e++) c[5 + e] = engine.headRuns(e);
        return c;
    }

    @Test
    void exitPathRunsOnlyItsStagesAndHead() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 32, 32, 3);
        for (int k = 1; k <= 4; k++) {
            long[] before = counts();
            engine.run(x, k);
            long[] after = counts();
            for (int s = 0; s <= 4; s++)
                assertEquals(s <= k ? 1 : 0, after[s] - before[s], "exit " + k + ", stage " + s);
            for (int e = 1; e <= 4; e++)
                assertEquals(e == k ? 1 : 0, after[5 + e] - before[5 + e], "exit " + k + ", head " + e);
        }
    }

    @Test
    void rowsKeptAfterAnExitContinueWithTheirOwnFeatures() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, 32, 32, 3);
        INDArray full = engine.run(x, 4).dup();
        engine.input(6).assign(x);
        ServingEngine.Pass pass = engine.start(6);
        pass.advance();
        pass.head();
        pass.keep(new int[] {1, 4, 5}, 3);
        pass.advance();
        pass.advance();
        pass.advance();
        INDArray kept = pass.head();
        assertEquals(3, kept.size(0));
        INDArray expected = full.get(NDArrayIndex.indices(1, 4, 5), NDArrayIndex.all());
        assertEquals(0.0, expected.sub(kept).amaxNumber().doubleValue(), 1e-5);
    }

    @Test
    void misuseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> engine.start(9));
        ServingEngine.Pass pass = engine.start(2);
        assertThrows(IllegalStateException.class, pass::head);
        pass.advance();
        assertThrows(IllegalArgumentException.class, () -> pass.keep(new int[] {1, 0}, 2));
        assertArrayEquals(new long[] {2, 10}, pass.head().shape());
    }
}
