package ai.emadaptive.cli;

import ai.emadaptive.artifact.EmbeddedModel;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.bench.LoadBenchmark;
import ai.emadaptive.bench.LoadVerdict;
import ai.emadaptive.bench.MachineInfo;
import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.routing.RouterSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "bench-load",
        mixinStandardHelpOptions = true,
        description = "Load ramp (real-time streams of a clip added one by one, then removed) with adaptive lambda and"
                + " with fixed lambdas: latency, share within budget, drops, cost and accuracy per load level.")
public final class BenchLoadCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model artifact (default: the embedded default model)")
    Path model;

    @Option(
            names = "--clip",
            defaultValue = "sample-videos/mixed-procedure.mp4",
            description = "clip (default ${DEFAULT-VALUE})")
    Path clip;

    @Option(names = "--max-streams", defaultValue = "6", description = "highest load level (default ${DEFAULT-VALUE})")
    int maxStreams;

    @Option(
            names = "--step",
            defaultValue = "1",
            description = "streams added per load level (default ${DEFAULT-VALUE})")
    int step;

    @Option(
            names = "--level-seconds",
            defaultValue = "12",
            description = "seconds per load level (default ${DEFAULT-VALUE})")
    double levelSeconds;

    @Option(
            names = "--recovery-seconds",
            defaultValue = "15",
            description = "seconds at one stream after the ramp (default ${DEFAULT-VALUE})")
    double recoverySeconds;

    @Option(
            names = "--budget-ms",
            defaultValue = "" + ControlSettings.DEFAULT_BUDGET_MS,
            description = "p95 latency budget (default ${DEFAULT-VALUE})")
    double budgetMs;

    @Option(
            names = "--fixed",
            split = ",",
            description = "fixed lambdas to compare (default: the model's default lambda and two larger grid values)")
    double[] fixed;

    @Option(
            names = "--agreement",
            description = "score frames by agreement with the model's full-depth labels of the clip"
                    + " (one pass first) instead of the clip's ground truth: for a model trained on another task")
    boolean agreement;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "10",
            description =
                    "before the first mode, one level's streams"
                            + " run this long unmeasured, so JIT compilation does not fall on the first mode (default ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(
            names = "--max-stride",
            defaultValue = "" + ControlSettings.DEFAULT_MAX_STRIDE,
            description =
                    "adaptive mode: most frames per inference when lambda"
                            + " alone cannot hold the budget (the frames between reuse the result; 1: never) (default ${DEFAULT-VALUE})")
    int maxStride;

    @Option(
            names = "--lambda-first",
            description = "adaptive mode: raise lambda to its ceiling before reusing results"
                    + " (default, as the service: reuse first)")
    boolean lambdaFirst;

    @Option(names = "--json", paramLabel = "FILE", description = "write the report as JSON")
    Path json;

    @Option(names = "--png", paramLabel = "FILE", description = "plot latency and lambda over time")
    Path png;

    @Override
    public Integer call() throws Exception {
        if (maxStreams < 1 || step < 1 || levelSeconds <= 0) {
            throw new IllegalArgumentException("--max-streams and --step must be >= 1 and --level-seconds > 0, not "
                    + maxStreams + ", " + step + " and " + levelSeconds);
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ModelArtifact artifact = EmbeddedModel.readOr(model);
        RouterSet routers = artifact.manifest().routers() == null
                ? null
                : RouterSet.fromJson(artifact.manifest().routers());
        double floor = routers == null ? 0 : routers.defaultLambda();
        if (fixed == null) fixed = new double[] {floor, Math.max(2, 2 * floor), Math.max(8, 8 * floor)};
        PipelineSettings settings = PipelineSettings.defaults()
                .withControl(
                        ControlSettings.defaults(budgetMs).withReuse(maxStride, !lambdaFirst),
                        PipelineSettings.DEFAULT_TICK_MS,
                        PipelineSettings.DEFAULT_MAX_LAMBDA)
                .withMaxStreams(Math.max(16, maxStreams));
        LoadBenchmark bench = new LoadBenchmark(artifact, clip, settings, System.out::println);
        if (agreement) {
            String[] labels = bench.fullDepthLabels();
            long seen = java.util.Arrays.stream(labels)
                    .filter(java.util.Objects::nonNull)
                    .count();
            System.out.printf("reference: full-depth labels of %d of %d clip frames%n", seen, labels.length);
            bench.agreeWith(labels);
        }
        if (warmupSeconds > 0) bench.warmUp(step, warmupSeconds);
        List<LoadBenchmark.Run> runs = new ArrayList<>();
        runs.add(bench.run(null, maxStreams, step, levelSeconds, recoverySeconds));
        for (double l : fixed) runs.add(bench.run(l, maxStreams, step, levelSeconds, recoverySeconds));

        System.out.printf(
                "%nstreams | %s%n",
                String.join(
                        " | ",
                        runs.stream()
                                .map(r -> r.fixedLambda() == null ? "adaptive" : "λ=" + r.fixedLambda())
                                .toList()));
        for (int i = 0; i < runs.get(0).levels().size(); i++) {
            StringBuilder b = new StringBuilder(
                    String.format("%7d", runs.get(0).levels().get(i).streams()));
            for (LoadBenchmark.Run r : runs) {
                LoadBenchmark.Level l = r.levels().get(i);
                b.append(String.format(
                        " | p95 %5.1f, in %5.1f%%, drop %4.1f%%, reused %4.1f%%, acc %.3f",
                        l.p95Ms(), 100 * l.withinBudget(), 100 * l.dropRate(), 100 * l.reused(), l.accuracy()));
            }
            System.out.println(b);
        }
        LoadBenchmark.Run reference = runs.stream()
                .filter(r -> r.fixedLambda() != null && r.fixedLambda() == floor)
                .findFirst()
                .orElse(null);
        LoadVerdict verdict =
                reference == null ? null : LoadVerdict.of(runs.get(0).levels(), reference.levels());
        if (verdict != null)
            System.out.printf("%nagainst the targets (reference: fixed lambda %.2f): %s%n", floor, verdict.describe());
        else
            System.out.printf(
                    "%nno fixed run at the accuracy-optimal lambda %.2f, so no break to judge adaptive against%n",
                    floor);
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("machine", MachineInfo.describe());
            doc.put("model", EmbeddedModel.describe(model));
            doc.put("clip", clip.toString());
            doc.put(
                    "accuracy",
                    agreement ? "agreement with the model's full-depth labels" : "against the clip's ground truth");
            doc.put("budgetMs", budgetMs);
            doc.put("floorLambda", floor);
            doc.put("control", settings.control());
            doc.put("verdict", verdict);
            doc.put("runs", runs);
            JsonFiles.write(json, doc);
            System.out.println("wrote " + json);
        }
        if (png != null) {
            plot(runs, png);
            System.out.println("wrote " + png);
        }
        return 0;
    }

    private void plot(List<LoadBenchmark.Run> runs, Path file) throws java.io.IOException {
        XYChart lat = new XYChartBuilder()
                .width(1000)
                .height(420)
                .title("p95 end-to-end latency (1 s window) during the load ramp")
                .xAxisTitle("seconds")
                .yAxisTitle("ms")
                .build();
        XYChart lam = new XYChartBuilder()
                .width(1000)
                .height(300)
                .title("lambda and stride (adaptive) and streams")
                .xAxisTitle("seconds")
                .yAxisTitle("")
                .build();
        for (LoadBenchmark.Run r : runs) {
            String name = r.fixedLambda() == null ? "adaptive" : "fixed λ=" + r.fixedLambda();
            double[] t = r.timeline().stream()
                    .mapToDouble(LoadBenchmark.Point::seconds)
                    .toArray();
            double[] p = r.timeline().stream()
                    .mapToDouble(pt -> Double.isNaN(pt.p95Ms()) ? 0 : Math.min(pt.p95Ms(), 300))
                    .toArray();
            if (t.length == 0) continue;
            lat.addSeries(name, t, p).setMarker(SeriesMarkers.NONE);
            if (r.fixedLambda() == null) {
                lam.addSeries(
                                "lambda",
                                t,
                                r.timeline().stream()
                                        .mapToDouble(LoadBenchmark.Point::lambda)
                                        .toArray())
                        .setMarker(SeriesMarkers.NONE);
                lam.addSeries(
                                "streams",
                                t,
                                r.timeline().stream()
                                        .mapToDouble(LoadBenchmark.Point::streams)
                                        .toArray())
                        .setMarker(SeriesMarkers.NONE);
                if (r.timeline().stream().anyMatch(pt -> pt.stride() > 1)) {
                    lam.addSeries(
                                    "stride (frames per inference)",
                                    t,
                                    r.timeline().stream()
                                            .mapToDouble(LoadBenchmark.Point::stride)
                                            .toArray())
                            .setMarker(SeriesMarkers.NONE);
                }
            }
        }
        double[] t = runs.get(0).timeline().stream()
                .mapToDouble(LoadBenchmark.Point::seconds)
                .toArray();
        if (t.length > 0)
            lat.addSeries("budget", new double[] {t[0], t[t.length - 1]}, new double[] {budgetMs, budgetMs})
                    .setMarker(SeriesMarkers.NONE);
        java.awt.image.BufferedImage a = BitmapEncoder.getBufferedImage(lat), b = BitmapEncoder.getBufferedImage(lam);
        java.awt.image.BufferedImage all = new java.awt.image.BufferedImage(
                1000, a.getHeight() + b.getHeight(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = all.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        if (file.toAbsolutePath().getParent() != null)
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        javax.imageio.ImageIO.write(all, "png", file.toFile());
    }
}
