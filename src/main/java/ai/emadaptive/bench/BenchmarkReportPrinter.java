package ai.emadaptive.bench;

import java.io.PrintWriter;

/** The benchmark report as tables for a terminal. */
public final class BenchmarkReportPrinter {
    private BenchmarkReportPrinter() {}

    public static void print(EngineBenchmark.Report r, PrintWriter out) {
        out.println();
        out.println("machine: " + r.machine());
        out.println("model:   " + r.model());
        ConvPeak.Result p = r.convPeak();
        out.printf(
                "conv peak (libnd4j conv2d 64->64 3x3 32x32 b32): NHWC %.1f GFLOP/s (%.2f ms), NCHW %.1f GFLOP/s (%.2f ms)%n",
                p.nhwcGflops(), p.nhwcMedianMs(), p.nchwGflops(), p.nchwMedianMs());
        out.println();
        out.printf(
                "%-24s %5s %4s %12s %12s %10s %9s%n",
                "implementation", "batch", "exit", "median ms/fr", "p99 ms/fr", "frames/s", "GFLOP/s");
        for (EngineBenchmark.PathResult x : r.inference()) {
            out.printf(
                    "%-24s %5d %4d %12.3f %12.3f %10.1f %9.1f%n",
                    x.implementation(),
                    x.batch(),
                    x.exit(),
                    x.medianMsPerFrame(),
                    x.p99MsPerFrame(),
                    x.framesPerSecond(),
                    x.gflopsPerSecond());
        }
        if (r.training() != null) {
            EngineBenchmark.Training t = r.training();
            out.printf(
                    "%ntraining (width %d, batch %d, all four exits): %.1f img/s, %.2f s/step, %.1f GFLOP/s%n",
                    t.width(), t.batch(), t.imagesPerSecond(), t.secondsPerStep(), t.gflopsPerSecond());
        }
        EngineBenchmark.Summary s = r.summary();
        out.println();
        // only what this run measured: a run without batch 32 or the layer API has no such ratio
        if (s.fullPathBatch32FractionOfPeak() != null)
            out.printf("full path, batch 32:    %.0f%% of the conv peak%n", 100 * s.fullPathBatch32FractionOfPeak());
        if (s.exit1OverFullBatch32() != null)
            out.printf("exit-1 / full, batch 32: %.0f%% of the time%n", 100 * s.exit1OverFullBatch32());
        if (s.batch1FullMedianMs() != null && s.batch1Exit1MedianMs() != null)
            out.printf(
                    "batch 1 median:          full %.2f ms, exit 1 %.2f ms%n",
                    s.batch1FullMedianMs(), s.batch1Exit1MedianMs());
        if (s.engineSpeedupBatch1() != null || s.engineSpeedupBatch32() != null)
            out.printf(
                    "engine vs layer API:     %s at batch 1, %s at batch 32 (full path)%n",
                    times(s.engineSpeedupBatch1()), times(s.engineSpeedupBatch32()));
        if (r.fusedConvolutions() != null && !r.fusedConvolutions().isEmpty()) {
            out.println();
            out.println(
                    "one convolution + bias + ReLU at batch 1: libnd4j conv2d then ReLU (the engine's path on CUDA) vs a oneDNN primitive (its path on CPU: weights packed once, fused):");
            for (EngineBenchmark.ConvRow c : r.fusedConvolutions()) {
                out.printf(
                        "  %-32s %d thread(s): %7.3f ms vs %7.3f ms, %.2fx%n",
                        c.layer(), c.threads(), c.engineMs(), c.fusedMs(), c.speedup());
            }
        }
        if (r.versusOnnxRuntime() != null && !r.versusOnnxRuntime().isEmpty()) {
            out.println();
            out.println("side by side with ONNX Runtime (same weights, same run; median ms per call):");
            out.printf(
                    "%-6s %5s %7s %10s %10s %22s %10s %34s%n",
                    "path",
                    "batch",
                    "threads",
                    "engine",
                    "ORT",
                    "engine speed vs ORT",
                    "libnd4j",
                    "beside a decoder: engine / ORT (x)");
            for (EngineBenchmark.PeerRow p2 : r.versusOnnxRuntime()) {
                EngineBenchmark.Contended c = p2.contended();
                out.printf(
                        "%-6s %5d %7d %10.2f %10.2f %21.2fx %10.2f %34s%n",
                        p2.exit() == 1 ? "exit 1" : "full",
                        p2.batch(),
                        p2.threads(),
                        p2.engineMedianMs(),
                        p2.ortMedianMs(),
                        p2.engineSpeedVsOrt(),
                        p2.libnd4jMedianMs(),
                        c == null
                                ? "-"
                                : String.format(
                                        "%.2f (%.2fx) / %.2f (%.2fx)",
                                        c.engineMedianMs(), c.engineSlowdown(), c.ortMedianMs(), c.ortSlowdown()));
            }
        }
    }

    private static String times(Double x) {
        return x == null ? "not timed" : String.format("%.1fx", x);
    }
}
