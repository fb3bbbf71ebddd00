package ai.emadaptive.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import ai.emadaptive.data.ImageSet;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.routing.DifficultyBreakdown;
import ai.emadaptive.routing.ExitPolicies;
import ai.emadaptive.routing.Evaluation;
import ai.emadaptive.routing.ExitRule;
import ai.emadaptive.routing.FeatureCache;
import ai.emadaptive.routing.PolicyResult;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy, normalised FLOP cost (paths actually executed), the seed's nominal cost and wall-clock"
                + " time per image (serving engine, batch 1, really stopping) of: full network, fixed exits 1-4, random"
                + " exit, entropy thresholding, EM routing, oracle; on the test images.")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model artifact (with routers for EM)")
    Path model;

    @Mixin
    DataSetOptions data;

    @Option(names = "--method", defaultValue = "all", description = "all (the only method set printed as a table; default)")
    String method;

    @Option(names = "--lambda", description = "EM lambda (default: the artifact's default lambda)")
    Double lambda;

    @Option(names = "--timed-images", defaultValue = "500", description = "test images timed per method at batch 1 (default ${DEFAULT-VALUE})")
    int timedImages;

    @Option(names = "--by-difficulty", description = "also break results down by difficulty level, from <data>/test/labels.csv"
            + " (written by 'generate images') or a clip's ground-truth CSV ('generate video')")
    boolean byDifficulty;

    @Option(names = "--difficulty-column", defaultValue = "level", description = "labels.csv (or sidecar) column --by-difficulty groups by:"
            + " level (the most severe factor; default) or one factor, e.g. smoke or clutter")
    String difficultyColumn;

    @Option(names = "--json", description = "also write the results as JSON")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        var out = spec.commandLine().getOut();
        ModelData md = ModelData.loadForScoring(model, data);
        ImageSet test = md.test();
        if (test == null) {
            spec.commandLine().getErr().println("error: " + data.data + ": no test images");
            return 2;
        }
        ModelSpec s = md.artifact().manifest().spec();
        FeatureCache cache = FeatureCache.of(md.artifact().weights(), test, md.norm(), 64, md.routers() != null);
        Evaluation eval = new Evaluation(s, cache, md.routers());
        double l = lambda != null ? lambda : md.routers() == null ? 0 : md.routers().defaultLambda();
        List<PolicyResult> results = new ArrayList<>();
        ServingEngine engine = new ServingEngine(md.artifact().weights(), 1);
        // warm the JIT and the native library on the full path, so the first method timed is not penalised
        Evaluation.time(engine, test, md.norm(), ExitRule.fixed(ModelSpec.STAGES), Math.min(timedImages, 200));
        for (PolicyResult r : eval.all(l, 1)) {
            ExitRule rule = eval.ruleFor(r);
            results.add(rule == null || timedImages <= 0 ? r : r.withTime(Evaluation.time(engine, test, md.norm(), rule, timedImages)));
        }
        out.printf("%d test images, EM lambda %.2f%n", cache.count(), l);
        out.printf("%-14s %9s %9s %8s %8s %10s  %s%n", "method", "param", "accuracy", "cost", "nominal", "ms/image", "exit mix");
        for (PolicyResult r : results) {
            out.printf("%-14s %9.3f %9.4f %8.3f %8.3f %10.3f  %s%n", r.method(), r.parameter(), r.accuracy(), r.cost(),
                    r.nominalCost(), r.msPerImage(), fmt(r.exitMix()));
        }
        List<DifficultyBreakdown.Level> levels = null;
        if (byDifficulty) {
            int[] level = data.difficulty(test, difficultyColumn);
            double[] exitCost = new double[ModelSpec.STAGES + 1];
            for (int e = 1; e <= ModelSpec.STAGES; e++) exitCost[e] = md.artifact().manifest().exits().get(e - 1).normalisedCost();
            int[] emExits = md.routers() == null ? ExitPolicies.fixed(cache.count(), ModelSpec.STAGES) : ExitPolicies.em(cache, md.routers(), l);
            levels = DifficultyBreakdown.of(cache, level, emExits, exitCost);
            out.printf("%nby %s (EM at lambda %.2f):%n", difficultyColumn, l);
            out.printf("%5s %7s %-27s %9s %9s %8s  %-19s %s%n", "level", "images", "exit 1 / 2 / 3 / 4 (full)", "EM", "mean exit",
                    "EM cost", "EM exit mix", "oracle mean exit");
            for (DifficultyBreakdown.Level v : levels) {
                double[] a = v.exitAccuracy();
                out.printf("%5d %7d %.4f %.4f %.4f %.4f  %9.4f %9.2f %8.3f  %-19s %.2f%n", v.level(), v.images(), a[0], a[1], a[2], a[3],
                        v.emAccuracy(), v.emMeanExit(), v.emCost(), fmt(v.emExitMix()), v.oracleMeanExit());
            }
        }
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            if (levels != null) doc.put("byDifficulty", levels);
            doc.put("model", model.toString());
            doc.put("testImages", cache.count());
            doc.put("lambda", l);
            doc.put("timedImages", timedImages);
            doc.put("results", results);
            JsonFiles.write(json, doc);
        }
        return 0;
    }

    static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(String.format("%.2f ", x));
        return b.toString().trim();
    }
}
