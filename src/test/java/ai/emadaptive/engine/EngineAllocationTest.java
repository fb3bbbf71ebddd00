package ai.emadaptive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import ai.emadaptive.support.TestModels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A routed pass on the oneDNN engine allocates nothing on the Java heap once its plan exists. */
class EngineAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aRoutedPassAllocatesNothing() {
        ModelSpec spec = new ModelSpec(8, 32, 3, Stem.CIFAR, 4, HeadType.CONV);
        Weights w = TestModels.randomisedBatchNorm(spec, 7);
        int[] keep = {0, 2};
        try (ServingEngine engine = new ServingEngine(new FoldedWeights(w), spec, 4, ServingEngine.Kernels.ONEDNN)) {
            engine.input(4).assign(Nd4j.randn(DataType.FLOAT, 4, 32, 32, 3));
            for (int i = 0; i < 20; i++) pass(engine, keep); // plans, views and JIT-compiled code made here
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200; i++) pass(engine, keep);
            long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertEquals(0, bytes, "bytes allocated by 200 routed passes");
        }
    }

    /** Every stage, head and feature; two of four rows go on after stage 1. */
    private static void pass(ServingEngine engine, int[] keep) {
        ServingEngine.Pass p = engine.start(4);
        for (int s = 1; s <= ModelSpec.STAGES; s++) {
            p.advance();
            p.head();
            p.feature();
            if (s == 1) p.keep(keep, keep.length);
        }
    }
}
