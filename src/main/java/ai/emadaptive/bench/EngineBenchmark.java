package ai.emadaptive.bench;

import ai.emadaptive.engine.DnnlContext;
import ai.emadaptive.engine.FusedConv;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.Flops;
import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Ops;
import ai.emadaptive.model.Weights;
import ai.emadaptive.train.LrSchedule;
import ai.emadaptive.train.MultiExitNetwork;
import ai.emadaptive.train.MultiExitTrainer;
import ai.emadaptive.train.Sgd;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures, in one run: our serving engine and DL4J's layer API on every exit path at each batch size, the conv
 * peak of this machine, and training throughput. Weights are random: latency does not depend on their values.
 */
public final class EngineBenchmark {

    /**
     * @param peerThreads   thread counts of the side-by-side engine / ONNX Runtime rows (empty: none)
     * @param contentionClip when not null, each side-by-side row is timed again beside a competing process: Debian's
     *                       ffmpeg decoding this clip on one thread in a loop, as a stream's decoder loads a node
     */
    public record Options(
            ModelSpec spec,
            int[] batches,
            int engineSamples,
            int baselineSamples,
            boolean baseline,
            int trainBatch,
            int trainSteps,
            int[] peerThreads,
            java.nio.file.Path contentionClip) {}

    /**
     * The engine and ONNX Runtime on the same weights, path, batch and thread count, timed back to back in one run.
     * {@code engineSpeedVsOrt} = ORT's median / the engine's (above 1: the engine is faster); {@code libnd4jMedianMs}:
     * the same engine on libnd4j's ops instead of oneDNN primitives.
     */
    public record PeerRow(
            int exit,
            int batch,
            int threads,
            double engineMedianMs,
            double ortMedianMs,
            double engineSpeedVsOrt,
            double libnd4jMedianMs,
            Contended contended) {}

    /** The same row beside the competing decoder: medians and how many times slower than alone (null: not measured). */
    public record Contended(double engineMedianMs, double ortMedianMs, double engineSlowdown, double ortSlowdown) {}

    /** One implementation on one exit path at one batch size. */
    public record PathResult(
            String implementation,
            int batch,
            int exit,
            int samples,
            double medianMsPerBatch,
            double p99MsPerBatch,
            double medianMsPerFrame,
            double p99MsPerFrame,
            double framesPerSecond,
            long flopsPerFrame,
            double gflopsPerSecond) {}

    public record Training(
            int width,
            int batch,
            int steps,
            double imagesPerSecond,
            double secondsPerStep,
            long flopsPerImage,
            double gflopsPerSecond) {}

    /** Headline ratios; each is null when the run did not time what it needs (a batch or the layer API left out). */
    public record Summary(
            Double fullPathBatch32FractionOfPeak,
            Double exit1OverFullBatch32,
            Double batch1FullMedianMs,
            Double batch1Exit1MedianMs,
            Double engineSpeedupBatch1,
            Double engineSpeedupBatch32) {}

    public record Report(
            String date,
            Map<String, Object> machine,
            Map<String, Object> model,
            ConvPeak.Result convPeak,
            List<PathResult> inference,
            Training training,
            Summary summary,
            List<PeerRow> versusOnnxRuntime,
            List<ConvRow> fusedConvolutions) {}

    /**
     * One convolution + bias + ReLU of the network at batch 1, as the engine runs it (libnd4j conv2d, then ReLU) and as
     * a oneDNN primitive made once with its weights packed once and bias and ReLU fused ({@link FusedConv}).
     */
    public record ConvRow(String layer, int threads, double engineMs, double fusedMs, double speedup) {}

    static final String ENGINE = "engine";
    static final String LAYER_API = "dl4j-computation-graph";

    private final Options options;
    private final PrintWriter out;

    public EngineBenchmark(Options options, PrintWriter progress) {
        this.options = options;
        this.out = progress;
    }

    public Report run() {
        ModelSpec spec = options.spec();
        Flops flops = new Flops(spec);
        Weights weights = Weights.init(spec, 42);
        int maxBatch = java.util.Arrays.stream(options.batches()).max().orElse(1);
        out.println("conv peak: libnd4j conv2d 64->64 3x3 32x32 batch 32 ...");
        ConvPeak.Result peak = ConvPeak.measure(Math.max(5, options.engineSamples() / 4));
        List<PathResult> results = new ArrayList<>();
        ServingEngine engine = new ServingEngine(weights, maxBatch);
        for (int n : options.batches()) {
            INDArray nhwc = Nd4j.randn(DataType.FLOAT, n, spec.inputSize(), spec.inputSize(), spec.inChannels());
            for (int exit = 1; exit <= ModelSpec.STAGES; exit++) {
                int k = exit;
                int samples = samples(options.engineSamples(), n);
                out.printf("engine     batch %2d exit %d (%d runs) ...%n", n, k, samples);
                results.add(result(
                        ENGINE,
                        n,
                        k,
                        flops.fixedExit(k),
                        LatencyStats.measure(n, Math.max(3, samples / 10), samples, () -> engine.run(nhwc, k))));
            }
            if (!options.baseline()) continue;
            INDArray nchw = nhwc.permute(0, 3, 1, 2).dup('c');
            for (int exit = 1; exit <= ModelSpec.STAGES; exit++) {
                ComputationGraph graph = LayerApiBaseline.build(spec, exit);
                LayerApiBaseline.copyWeights(weights, graph, exit);
                int samples = samples(options.baselineSamples(), n);
                out.printf("layer API  batch %2d exit %d (%d runs) ...%n", n, exit, samples);
                results.add(result(
                        LAYER_API,
                        n,
                        exit,
                        flops.fixedExit(exit),
                        LatencyStats.measure(n, 2, samples, () -> graph.outputSingle(nchw))));
            }
        }
        List<PeerRow> peers;
        try {
            peers = peers(weights);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        List<ConvRow> fused = fusedConvolutions(spec);
        Training training = options.trainSteps() > 0 ? training(spec, flops) : null;
        return new Report(
                Instant.now().toString(),
                MachineInfo.describe(),
                model(spec, flops),
                peak,
                results,
                training,
                summary(results, peak, flops),
                peers,
                fused);
    }

    /**
     * Exit 1 and the full path, at each batch and each peer thread count: the engine (oneDNN kernels, made under that
     * many OpenMP threads), the same engine on libnd4j's ops (what it ran before oneDNN) and ONNX Runtime (that many
     * intra-op threads), one after the other on the same input.
     */
    private List<PeerRow> peers(Weights weights) throws InterruptedException {
        List<PeerRow> rows = new ArrayList<>();
        if (java.util.Arrays.stream(options.peerThreads()).noneMatch(t -> t > 0)) return rows;
        ModelSpec spec = options.spec();
        FoldedWeights folded = new FoldedWeights(weights);
        int maxBatch = java.util.Arrays.stream(options.batches()).max().orElse(1);
        var ops = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = Nd4j.getEnvironment().maxThreads();
        try {
            for (int threads : options.peerThreads()) {
                if (threads < 1) continue;
                ops.setOmpNumThreads(threads); // before the engines make their primitives: they keep this count
                try (ServingEngine engine = new ServingEngine(folded, spec, maxBatch, ServingEngine.Kernels.ONEDNN);
                        ServingEngine libnd4j = new ServingEngine(folded, spec, maxBatch, ServingEngine.Kernels.ND4J)) {
                    for (int n : options.batches()) {
                        INDArray nhwc =
                                Nd4j.randn(DataType.FLOAT, n, spec.inputSize(), spec.inputSize(), spec.inChannels());
                        float[] data = nhwc.dup('c').data().asFloat();
                        for (int exit : new int[] {1, ModelSpec.STAGES}) {
                            int samples = samples(options.engineSamples(), n);
                            out.printf(
                                    "side by side, %d thread(s), batch %2d exit %d (%d runs each) ...%n",
                                    threads, n, exit, samples);
                            try (OrtPeer ort = new OrtPeer(weights, exit, threads, data, nhwc.shape())) {
                                int k = exit, warm = Math.max(3, samples / 10);
                                LatencyStats e = LatencyStats.measure(n, warm, samples, () -> engine.run(nhwc, k));
                                LatencyStats l = LatencyStats.measure(n, warm, samples, () -> libnd4j.run(nhwc, k));
                                LatencyStats o = LatencyStats.measure(n, warm, samples, ort::run);
                                Contended c = null;
                                if (options.contentionClip() != null) {
                                    Process load = competingDecoder(options.contentionClip());
                                    try {
                                        Thread.sleep(500); // the decoder is up and busy
                                        LatencyStats ec =
                                                LatencyStats.measure(n, warm, samples, () -> engine.run(nhwc, k));
                                        LatencyStats oc = LatencyStats.measure(n, warm, samples, ort::run);
                                        c = new Contended(
                                                ec.medianMs(),
                                                oc.medianMs(),
                                                ec.medianMs() / e.medianMs(),
                                                oc.medianMs() / o.medianMs());
                                    } finally {
                                        load.destroyForcibly().waitFor();
                                    }
                                }
                                rows.add(new PeerRow(
                                        exit,
                                        n,
                                        threads,
                                        e.medianMs(),
                                        o.medianMs(),
                                        o.medianMs() / e.medianMs(),
                                        l.medianMs(),
                                        c));
                            }
                        }
                    }
                }
            }
        } finally {
            ops.setOmpNumThreads(before);
        }
        return rows;
    }

    /**
     * The first and last stages' 3x3 convolutions at batch 1, at 1 and 2 threads: libnd4j's conv2d and ReLU against
     * one oneDNN primitive made under that thread count.
     */
    private List<ConvRow> fusedConvolutions(ModelSpec spec) {
        List<ConvRow> rows = new ArrayList<>();
        var ops = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = Nd4j.getEnvironment().maxThreads();
        try (DnnlContext ctx = new DnnlContext()) {
            for (int s : new int[] {1, ModelSpec.STAGES}) {
                int c = spec.stageChannels(s), size = spec.stageSize(s);
                INDArray x = Nd4j.rand(DataType.FLOAT, 1, size, size, c),
                        y = Nd4j.create(DataType.FLOAT, 1, size, size, c);
                INDArray w = Nd4j.rand(DataType.FLOAT, c, 3, 3, c).muli(0.01), b = Nd4j.rand(DataType.FLOAT, c);
                Ops.Step unfused = Ops.sequence(Ops.convOhwi(x, w, b, 1, y), Ops.relu(y, y));
                for (int threads : new int[] {1, 2}) {
                    ops.setOmpNumThreads(threads);
                    try (FusedConv f = new FusedConv(ctx, x, w, b, 1, FusedConv.Post.RELU, y)) {
                        int samples = Math.max(20, options.engineSamples());
                        out.printf(
                                "conv %d->%d 3x3 %dx%d batch 1, %d thread(s): unfused vs fused (%d runs each) ...%n",
                                c, c, size, size, threads, samples);
                        LatencyStats u = LatencyStats.measure(1, samples / 10, samples, unfused::run);
                        LatencyStats g = LatencyStats.measure(1, samples / 10, samples, f::run);
                        rows.add(new ConvRow(
                                String.format("stage %d conv %d->%d 3x3 %dx%d", s, c, c, size, size),
                                threads,
                                u.medianMs(),
                                g.medianMs(),
                                u.medianMs() / g.medianMs()));
                    }
                }
            }
        } finally {
            ops.setOmpNumThreads(before);
        }
        return rows;
    }

    /** Debian's ffmpeg decoding the clip on one thread, over and over, output discarded. */
    private static Process competingDecoder(java.nio.file.Path clip) {
        try {
            Process p = new ProcessBuilder(
                            "ffmpeg",
                            "-nostdin",
                            "-loglevel",
                            "error",
                            "-threads",
                            "1",
                            "-stream_loop",
                            "-1",
                            "-i",
                            clip.toString(),
                            "-f",
                            "null",
                            "-")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.isAlive() && p.exitValue() != 0)
                throw new IllegalStateException("the competing ffmpeg exited at once");
            return p;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "cannot start the competing decoder (Debian's ffmpeg): " + e.getMessage(), e);
        }
    }

    /** Asked without touching {@link OrtPeer}, whose loading needs ONNX Runtime's classes. */

    /** Batch-32 runs are ~30x longer than batch-1 runs: scale the sample count down, keeping at least 5. */
    private static int samples(int base, int batch) {
        return Math.max(5, base / Math.max(1, batch / 4));
    }

    private Training training(ModelSpec spec, Flops flops) {
        int n = options.trainBatch();
        out.printf("training   batch %d, %d steps ...%n", n, options.trainSteps());
        MultiExitNetwork net = new MultiExitNetwork(Weights.init(spec, 7));
        MultiExitTrainer trainer =
                new MultiExitTrainer(net, new Sgd(0.9, 5e-4, true), LrSchedule.constant(0.01), false);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, spec.inputSize(), spec.inputSize(), spec.inChannels());
        int[] labels = new Random(1).ints(n, 0, spec.numClasses()).toArray();
        double[] all = {1, 1, 1, 1};
        trainer.step(x, labels, all);
        trainer.step(x, labels, all);
        long t0 = System.nanoTime();
        for (int i = 0; i < options.trainSteps(); i++) trainer.step(x, labels, all);
        double seconds = (System.nanoTime() - t0) / 1e9;
        // forward through every stage and head, backward through all of them: ~3x the forward FLOPs
        long perImage = 3 * flops.exitPath(ModelSpec.STAGES);
        double ips = n * options.trainSteps() / seconds;
        return new Training(
                spec.width(),
                n,
                options.trainSteps(),
                ips,
                seconds / options.trainSteps(),
                perImage,
                ips * perImage / 1e9);
    }

    private static PathResult result(String impl, int n, int exit, long flopsPerFrame, LatencyStats s) {
        return new PathResult(
                impl,
                n,
                exit,
                s.samples(),
                s.medianMs(),
                s.p99Ms(),
                s.medianPerFrameMs(),
                s.p99PerFrameMs(),
                s.framesPerSecond(),
                flopsPerFrame,
                flopsPerFrame * n / s.medianMs() / 1e6);
    }

    private static Map<String, Object> model(ModelSpec spec, Flops flops) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", "multi-exit ResNet-18");
        m.put("width", spec.width());
        m.put("inputSize", spec.inputSize());
        m.put("stem", spec.stem());
        m.put("headType", spec.headType());
        m.put("numClasses", spec.numClasses());
        m.put("dataType", "float32");
        List<Long> fixed = new ArrayList<>();
        for (int k = 1; k <= ModelSpec.STAGES; k++) fixed.add(flops.fixedExit(k));
        m.put("flopsPerFrameByExit", fixed);
        return m;
    }

    private static Summary summary(List<PathResult> r, ConvPeak.Result peak, Flops flops) {
        PathResult full32 = find(r, ENGINE, 32, 4);
        PathResult exit1At32 = find(r, ENGINE, 32, 1);
        PathResult full1 = find(r, ENGINE, 1, 4);
        PathResult exit1At1 = find(r, ENGINE, 1, 1);
        return new Summary(
                full32 == null ? null : full32.gflopsPerSecond() / peak.peakGflops(),
                full32 == null || exit1At32 == null ? null : exit1At32.medianMsPerBatch() / full32.medianMsPerBatch(),
                full1 == null ? null : full1.medianMsPerFrame(),
                exit1At1 == null ? null : exit1At1.medianMsPerFrame(),
                speedup(r, 1),
                speedup(r, 32));
    }

    private static Double speedup(List<PathResult> r, int batch) {
        PathResult ours = find(r, ENGINE, batch, 4);
        PathResult theirs = find(r, LAYER_API, batch, 4);
        return ours == null || theirs == null ? null : theirs.medianMsPerFrame() / ours.medianMsPerFrame();
    }

    private static PathResult find(List<PathResult> r, String impl, int batch, int exit) {
        return r.stream()
                .filter(p -> p.implementation().equals(impl) && p.batch() == batch && p.exit() == exit)
                .findFirst()
                .orElse(null);
    }
}
