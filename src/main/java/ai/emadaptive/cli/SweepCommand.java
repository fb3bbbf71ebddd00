package ai.emadaptive.cli;

import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.routing.Evaluation;
import ai.emadaptive.routing.FeatureCache;
import ai.emadaptive.routing.PolicyResult;
import ai.emadaptive.routing.Sweep;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = "EM routing over a lambda grid and entropy thresholding over a threshold grid on the test images:"
                + " every point, both Pareto frontiers (CSV and JSON, the input of plot).")
public final class SweepCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model artifact with routers")
    Path model;

    @Mixin
    DataSetOptions data;

    @Option(
            names = "--points",
            defaultValue = "60",
            description =
                    "points per grid (default ${DEFAULT-VALUE}); the lambda grid"
                            + " spans from where every image goes to full depth (a negative lambda) to where every image leaves at exit 1")
    int points;

    @Option(
            names = "--csv",
            required = true,
            description = "every point: method,parameter,accuracy,cost,nominal,on_frontier,exit mix")
    Path csv;

    @Option(names = "--json", required = true, description = "the sweep for plot")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ModelData md = ModelData.loadForScoring(model, data);
        if (md.test() == null) {
            spec.commandLine().getErr().println("error: " + data.data + ": no test images");
            return 2;
        }
        if (md.routers() == null) {
            spec.commandLine().getErr().println("error: " + model + ": no routers (run the routers command first)");
            return 2;
        }
        ModelSpec s = md.artifact().manifest().spec();
        data.notes().forEach(n -> spec.commandLine().getOut().println("note: " + n));
        FeatureCache cache = md.cache(md.test(), true);
        Evaluation eval = new Evaluation(s, cache, md.routers());
        Sweep.Result r = Sweep.run(eval, Sweep.lambdaGrid(eval, points), points);
        if (csv.toAbsolutePath().getParent() != null)
            Files.createDirectories(csv.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
            w.println("method,parameter,accuracy,cost,nominal_cost,on_frontier,exit1,exit2,exit3,exit4");
            write(w, r.em(), r.emFrontier());
            write(w, r.entropy(), r.entropyFrontier());
            write(w, r.fixed(), r.fixed());
            write(w, List.of(r.oracle(), r.random()), List.of());
        }
        JsonFiles.write(json, r);
        var out = spec.commandLine().getOut();
        out.printf("%-10s %8s %9s%n", "cost", "EM", "entropy");
        for (double c = 0.3; c <= 1.0001; c += 0.05) {
            out.printf(
                    "%-10.2f %8.4f %9.4f%n",
                    c, Sweep.accuracyAt(r.emFrontier(), c), Sweep.accuracyAt(r.entropyFrontier(), c));
        }
        out.println("wrote " + csv + " and " + json);
        return 0;
    }

    private static void write(PrintWriter w, List<PolicyResult> points, List<PolicyResult> frontier) {
        for (PolicyResult p : points) {
            double[] m = p.exitMix();
            w.printf(
                    "%s,%.6f,%.6f,%.6f,%.6f,%b,%.4f,%.4f,%.4f,%.4f%n",
                    p.method(),
                    p.parameter(),
                    p.accuracy(),
                    p.cost(),
                    p.nominalCost(),
                    frontier.contains(p),
                    m[0],
                    m[1],
                    m[2],
                    m[3]);
        }
    }
}
