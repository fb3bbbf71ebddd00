package ai.emadaptive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.Weights;
import ai.emadaptive.support.TestModels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A routed pass on the oneDNN engine allocates nothing on the Java heap once its plan exists. */
class EngineAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The CIFAR stem, and the service model's (convolution, integer max pool, reorder to the blocked layout). */
    @ParameterizedTest
    @CsvSource({"32, CIFAR", "64, COMPACT"})
    void aRoutedPassAllocatesNothing(int size, Stem stem) {
        ModelSpec spec = new ModelSpec(8, size, 3, stem, 4, HeadType.CONV);
        Weights w = TestModels.randomisedBatchNorm(spec, 7);
        int[] keep = {0, 2};
        try (ServingEngine engine = new ServingEngine(new FoldedWeights(w), spec, 4, ServingEngine.Kernels.ONEDNN)) {
            engine.input(4).assign(Nd4j.randn(DataType.FLOAT, 4, size, size, 3));
            // plans and views are made on the first pass; the JIT compilers take longer to settle: in a JVM that had
            // run other tests, the first 800 passes after 20 put 48-600 bytes on this thread's account in some windows
            // of 200 (with escape analysis off too), later ones none
            for (int i = 0; i < 2000; i++) pass(engine, keep);
            // a pass that allocated would show in every window; the least of three is the pass's own
            long bytes = Long.MAX_VALUE;
            for (int window = 0; window < 3 && bytes != 0; window++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) pass(engine, keep);
                bytes = Math.min(bytes, THREADS.getCurrentThreadAllocatedBytes() - before);
            }
            assertEquals(0, bytes, "bytes allocated by 200 routed passes");
        }
    }

    @Test
    void outputsStayTheSameAfterTheGarbageCollectorRuns() {
        // oneDNN holds addresses, not arrays: an array the engine binds but does not keep would be freed by a
        // collection and its memory reused, changing the logits (it happened to the heads' biases)
        ModelSpec spec = new ModelSpec(8, 32, 3, Stem.CIFAR, 4, HeadType.MLP);
        // double-precision weights: the engine makes float32 copies of what it uses, as of a float16 artifact's
        Weights w = TestModels.randomisedBatchNorm(spec, 9).castTo(DataType.DOUBLE);
        org.nd4j.linalg.api.ndarray.INDArray x = Nd4j.randn(DataType.FLOAT, 2, 32, 32, 3);
        try (ServingEngine engine = new ServingEngine(new FoldedWeights(w), spec, 2, ServingEngine.Kernels.ONEDNN)) {
            org.nd4j.linalg.api.ndarray.INDArray before = engine.run(x, 4).dup();
            for (int i = 0; i < 5; i++) {
                System.gc();
                for (int j = 0; j < 200; j++) Nd4j.rand(DataType.FLOAT, 64).addi(1e6); // reuse freed memory
            }
            org.nd4j.linalg.api.ndarray.INDArray after = engine.run(x, 4);
            assertEquals(0.0, before.sub(after).amaxNumber().doubleValue(), 1e-6, "logits after collections");
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
