package ai.emadaptive.cli;

import ai.emadaptive.artifact.EmbeddedModel;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.bench.MachineInfo;
import ai.emadaptive.bench.PipelineBenchmark;
import ai.emadaptive.engine.InferenceBackend;
import ai.emadaptive.pipeline.PipelineSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "bench-pipeline",
        mixinStandardHelpOptions = true,
        description = "The streaming pipeline on a real clip: real-time latency and drops, frames/s for 1..N streams"
                + " routed vs full depth, and a soak run for memory growth.")
public final class BenchPipelineCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model artifact (default: the embedded default model)")
    Path model;

    @Option(
            names = "--clip",
            defaultValue = "sample-videos/mixed-procedure.mp4",
            description = "clip to replay (default ${DEFAULT-VALUE})")
    Path clip;

    @Option(
            names = "--streams",
            split = ",",
            defaultValue = "1,2,4",
            description = "concurrent streams for the throughput runs (default ${DEFAULT-VALUE})")
    int[] streams;

    @Option(
            names = "--seconds",
            defaultValue = "15",
            description = "measured seconds per throughput run (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(
            names = "--soak-minutes",
            defaultValue = "0",
            description = "soak run length; 0 skips it (the target uses 10)")
    double soakMinutes;

    @Option(
            names = "--soak-streams",
            defaultValue = "4",
            description = "streams in the soak run (default ${DEFAULT-VALUE})")
    int soakStreams;

    @Option(
            names = "--lambda",
            description = "fixed lambda of the routed as-fast-as-possible runs (default: the model's default lambda)")
    Double lambda;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON")
    Path json;

    @Option(
            names = "--backend",
            defaultValue = PipelineSettings.DEFAULT_BACKEND,
            description = "the runtime the network runs on: ENGINE or ONNX_RUNTIME (default ${DEFAULT-VALUE})")
    InferenceBackend backend;

    @Override
    public Integer call() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ModelArtifact artifact = EmbeddedModel.readOr(model);
        PipelineBenchmark bench = new PipelineBenchmark(
                artifact, clip, PipelineSettings.defaults().withBackend(backend), System.out::println);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", MachineInfo.describe());
        report.put("backend", backend.name());
        report.put("model", EmbeddedModel.describe(model));
        report.put("clip", clip.toString());

        PipelineBenchmark.Preprocessing prep = bench.preprocessing(1000);
        System.out.printf(
                "preprocessing, %dx%d -> %d px (on each stream's decoder thread): %.3f ms per frame%n",
                prep.width(), prep.height(), prep.size(), prep.medianMsPerFrame());
        report.put("preprocessing", prep);

        PipelineBenchmark.Latency rt = bench.realtime();
        System.out.printf(
                "real time, 1 stream: %d frames, dropped %d, end-to-end p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms,"
                        + " mean cost %.3f, accuracy %.3f%n",
                rt.frames(),
                rt.dropped(),
                rt.p50Ms(),
                rt.p95Ms(),
                rt.p99Ms(),
                rt.maxMs(),
                rt.meanCost(),
                rt.accuracy());
        report.put("realtime", rt);

        PipelineBenchmark.Latency op = bench.operatingPoint();
        System.out.printf(
                "operating point (1 real-time stream, overlay, recording, one live viewer): %d frames, dropped %d, end-to-end"
                        + " p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                op.frames(), op.dropped(), op.p50Ms(), op.p95Ms(), op.p99Ms(), op.maxMs());
        report.put("operatingPoint", op);

        List<PipelineBenchmark.Throughput> runs = new ArrayList<>();
        System.out.println("as fast as possible:");
        System.out.println("streams  mode         frames/s  mean cost  mean batch  lambda  accuracy");
        for (int n : streams) {
            for (boolean full : new boolean[] {false, true}) {
                PipelineBenchmark.Throughput t = bench.throughput(n, full, seconds, lambda);
                runs.add(t);
                System.out.printf(
                        "%7d  %-11s  %8.1f  %9.3f  %10.2f  %6s  %8.3f%n",
                        t.streams(),
                        t.mode(),
                        t.framesPerSecond(),
                        t.meanCost(),
                        t.meanBatch(),
                        full ? "-" : String.format("%.2f", t.lambda()),
                        t.accuracy());
            }
        }
        report.put("throughput", runs);

        if (soakMinutes > 0) {
            PipelineBenchmark.Soak soak = bench.soak(soakStreams, soakMinutes, 10);
            System.out.printf(
                    "soak, %d streams, %.1f min: RSS range after warm-up %.1f%%, JavaCPP native range %.1f%%, frames %d, dropped %d%n",
                    soak.streams(),
                    soak.minutes(),
                    soak.rssChangePercent(),
                    soak.nativeChangePercent(),
                    soak.frames(),
                    soak.dropped());
            report.put("soak", soak);
        }
        if (json != null) {
            JsonFiles.write(json, report);
            System.out.println("wrote " + json);
        }
        return 0;
    }
}
