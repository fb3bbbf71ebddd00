package ai.emadaptive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code bench}'s side-by-side rows run both runtimes on a small network, and its fused-convolution rows both
 * convolutions, and report what they timed.
 */
class EngineVersusOrtTest {
    @Test
    void everyPeerRowTimesBothRuntimes() {
        ModelSpec spec = new ModelSpec(8, 32, 3, Stem.CIFAR, 10, HeadType.MLP);
        StringWriter log = new StringWriter();
        EngineBenchmark.Report r = new EngineBenchmark(
                        new EngineBenchmark.Options(spec, new int[] {1, 2}, 10, 0, false, 0, 0, new int[] {1, 2}, null),
                        new PrintWriter(log))
                .run();
        assertEquals(8, r.versusOnnxRuntime().size(), "2 thread counts x 2 batches x exit 1 and the full path: " + log);
        for (EngineBenchmark.PeerRow p : r.versusOnnxRuntime()) {
            assertTrue(p.engineMedianMs() > 0 && p.ortMedianMs() > 0, p.toString());
            assertEquals(p.ortMedianMs() / p.engineMedianMs(), p.engineSpeedVsOrt(), 1e-9);
        }
        assertEquals(4, r.fusedConvolutions().size(), "first and last stage's convolution at 1 and 2 threads");
        for (EngineBenchmark.ConvRow c : r.fusedConvolutions())
            assertTrue(c.engineMs() > 0 && c.fusedMs() > 0, c.toString());
        StringWriter printed = new StringWriter();
        BenchmarkReportPrinter.print(r, new PrintWriter(printed));
        assertTrue(printed.toString().contains("side by side with ONNX Runtime"), printed.toString());
    }
}
