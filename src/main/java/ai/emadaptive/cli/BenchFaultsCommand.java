package ai.emadaptive.cli;

import ai.emadaptive.artifact.EmbeddedModel;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.bench.FaultBenchmark;
import ai.emadaptive.bench.MachineInfo;
import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.pipeline.PipelineSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "bench-faults",
        mixinStandardHelpOptions = true,
        description =
                "Healthy real-time streams alone, then beside hostile network sources (trickling, frozen, refusing,"
                        + " flapping): the healthy streams' latency and drops, time to RUNNING of a stream added meanwhile and of the"
                        + " flapping source after each return, DELETE times, decoder threads left.")
public final class BenchFaultsCommand implements Callable<Integer> {
    @Option(names = "--model", description = "model artifact (default: the embedded default model)")
    Path model;

    @Option(
            names = "--clip",
            defaultValue = "sample-videos/mixed-procedure.mp4",
            description = "healthy streams' clip, also served by the hostile sources (default ${DEFAULT-VALUE})")
    Path clip;

    @Option(
            names = "--healthy",
            defaultValue = "4",
            description = "healthy real-time streams (default ${DEFAULT-VALUE})")
    int healthy;

    @Option(
            names = "--hostile",
            defaultValue = "4",
            description = "hostile sources, cycling trickle, frozen, refusing, flapping (default ${DEFAULT-VALUE})")
    int hostile;

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "measured seconds per phase (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(
            names = "--budget-ms",
            defaultValue = "" + ControlSettings.DEFAULT_BUDGET_MS,
            description = "latency budget (default ${DEFAULT-VALUE})")
    double budgetMs;

    @Option(
            names = "--up-seconds",
            defaultValue = "4",
            description = "flapping source: seconds up (default ${DEFAULT-VALUE})")
    double upSeconds;

    @Option(
            names = "--down-seconds",
            defaultValue = "3",
            description = "flapping source: seconds down (default ${DEFAULT-VALUE})")
    double downSeconds;

    @Option(
            names = "--fixed",
            description =
                    "healthy streams at the model's fixed default lambda (default: adaptive mode, as OR streams run)")
    boolean fixed;

    @Option(names = "--json", paramLabel = "FILE", description = "write the report as JSON")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (healthy < 1 || hostile < 0 || seconds <= 0)
            throw new IllegalArgumentException("--healthy >= 1, --hostile >= 0 and --seconds > 0");
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ModelArtifact artifact = EmbeddedModel.readOr(model);
        FaultBenchmark.Report r = new FaultBenchmark(artifact, clip, PipelineSettings.defaults(), System.out::println)
                .run(healthy, hostile, seconds, budgetMs, upSeconds, downSeconds, !fixed);
        System.out.println();
        System.out.println(line("healthy alone", r.alone()));
        System.out.println(line("beside hostile", r.withHostile()));
        System.out.printf("a stream added meanwhile: RUNNING after %.0f ms%n", r.newStreamToRunningMs());
        System.out.printf(
                "flapping source back: %s ms after each return (%d returns), %.1f frames dropped within 2 s of each return (all its drops: %s)%n",
                r.flappingBackMs().stream().map(v -> String.format("%.0f", v)).toList(),
                r.flappingBackMs().size(),
                r.flappingDropsPerReturn(),
                r.flappingDropReasons());
        System.out.printf("healthy streams: %s%n", r.adaptive() ? "adaptive" : "fixed lambda");
        System.out.printf(
                "DELETE: %s ms%n",
                r.deleteMs().entrySet().stream()
                        .map(e -> e.getKey() + " " + String.format("%.0f", e.getValue()))
                        .toList());
        System.out.printf("hostile streams before DELETE: %s%n", r.hostileStates());
        System.out.printf("decoder threads alive 1 s after every stream was removed: %d%n", r.decoderThreadsLeft());
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("machine", MachineInfo.describe());
            doc.put("model", EmbeddedModel.describe(model));
            doc.put("report", r);
            JsonFiles.write(json, doc);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private static String line(String name, FaultBenchmark.Healthy h) {
        return String.format(
                "%-15s %d streams, %d frames: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %.1f%% within budget, %d dropped",
                name, h.streams(), h.frames(), h.p50Ms(), h.p95Ms(), h.p99Ms(), 100 * h.withinBudget(), h.dropped());
    }
}
