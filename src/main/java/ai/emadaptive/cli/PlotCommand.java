package ai.emadaptive.cli;

import ai.emadaptive.routing.PolicyResult;
import ai.emadaptive.routing.Sweep;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "plot",
        mixinStandardHelpOptions = true,
        description =
                "PNG charts of a sweep: accuracy vs cost (both frontiers, fixed exits, oracle) and exit mix vs lambda.")
public final class PlotCommand implements Callable<Integer> {

    @Option(names = "--sweep", required = true, description = "JSON written by sweep")
    Path sweep;

    @Option(names = "--out-dir", required = true, description = "folder for the PNGs")
    Path outDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Sweep.Result r = new ObjectMapper().readValue(sweep.toFile(), Sweep.Result.class);
        Files.createDirectories(outDir);
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(600)
                .title("Accuracy vs normalised FLOP cost")
                .xAxisTitle("normalised cost (FLOPs of the executed path / full network)")
                .yAxisTitle("accuracy")
                .build();
        chart.getStyler().setMarkerSize(7);
        line(chart, "EM routing (frontier)", r.emFrontier());
        line(chart, "entropy thresholding (frontier)", r.entropyFrontier());
        points(chart, "EM (all lambdas)", r.em());
        points(chart, "fixed exits", r.fixed());
        points(chart, "oracle", List.of(r.oracle()));
        points(chart, "random exit", List.of(r.random()));
        Path acc = outDir.resolve("accuracy-vs-cost.png");
        BitmapEncoder.saveBitmap(chart, acc.toString(), BitmapEncoder.BitmapFormat.PNG);

        XYChart mix = new XYChartBuilder()
                .width(900)
                .height(500)
                .title("EM routing: exit mix vs lambda")
                .xAxisTitle("lambda")
                .yAxisTitle("share of images")
                .build();
        double[] lambdas = r.em().stream().mapToDouble(PolicyResult::parameter).toArray();
        for (int k = 0; k < 4; k++) {
            int e = k;
            double[] share = r.em().stream().mapToDouble(p -> p.exitMix()[e]).toArray();
            mix.addSeries("exit " + (k + 1), lambdas, share).setMarker(SeriesMarkers.CIRCLE);
        }
        Path mixPng = outDir.resolve("exit-mix-vs-lambda.png");
        BitmapEncoder.saveBitmap(mix, mixPng.toString(), BitmapEncoder.BitmapFormat.PNG);
        spec.commandLine().getOut().println("wrote " + acc + " and " + mixPng);
        return 0;
    }

    private static void line(XYChart c, String name, List<PolicyResult> p) {
        if (p.isEmpty()) return;
        c.addSeries(
                        name,
                        p.stream().mapToDouble(PolicyResult::cost).toArray(),
                        p.stream().mapToDouble(PolicyResult::accuracy).toArray())
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    private static void points(XYChart c, String name, List<PolicyResult> p) {
        c.addSeries(
                        name,
                        p.stream().mapToDouble(PolicyResult::cost).toArray(),
                        p.stream().mapToDouble(PolicyResult::accuracy).toArray())
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }
}
