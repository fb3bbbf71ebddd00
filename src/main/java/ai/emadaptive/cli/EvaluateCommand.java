package ai.emadaptive.cli;

import ai.emadaptive.data.ImageSet;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.routing.DifficultyBreakdown;
import ai.emadaptive.routing.Evaluation;
import ai.emadaptive.routing.ExitPolicies;
import ai.emadaptive.routing.ExitRule;
import ai.emadaptive.routing.FeatureCache;
import ai.emadaptive.routing.FrameTable;
import ai.emadaptive.routing.PolicyResult;
import ai.emadaptive.routing.ToolMetrics;
import ai.emadaptive.routing.Uncertainty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Accuracy, normalised FLOP cost (paths actually executed), the seed's nominal cost and wall-clock"
                + " time per image (serving engine, batch 1, really stopping) of: full network, fixed exits 1-4, random"
                + " exit, entropy thresholding, EM routing, oracle; on the test images.")
public final class EvaluateCommand implements Callable<Integer> {
    /** The random baseline's seed: the table's and the per-tool metrics' random exits are the same draw. */
    private static final long SEED = 1;

    @Option(names = "--model", required = true, description = "model artifact (with routers for EM)")
    Path model;

    @Mixin
    DataSetOptions data;

    @Option(
            names = "--method",
            defaultValue = "all",
            description = "all (the only method set printed as a table; default)")
    String method;

    @Option(names = "--lambda", description = "EM lambda (default: the artifact's default lambda)")
    Double lambda;

    @Option(
            names = "--timed-images",
            defaultValue = "500",
            description = "test images timed per method at batch 1 (default ${DEFAULT-VALUE})")
    int timedImages;

    @Option(
            names = "--by-difficulty",
            description = "also break results down by difficulty level, from <data>/test/labels.csv"
                    + " (written by 'generate images') or a clip's ground-truth CSV ('generate video')")
    boolean byDifficulty;

    @Option(
            names = "--difficulty-column",
            defaultValue = "level",
            description = "labels.csv (or sidecar) column --by-difficulty groups by:"
                    + " level (the most severe factor; default) or one factor, e.g. smoke or clutter")
    String difficultyColumn;

    @Option(names = "--json", description = "also write the results as JSON")
    Path json;

    @Option(
            names = "--frames",
            description = "also write every test frame's class probabilities at each exit and its truth as TSV")
    Path frames;

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
        data.notes().forEach(n -> out.println("note: " + n));
        ModelSpec s = md.artifact().manifest().spec();
        Uncertainty uncertainty = md.uncertainty();
        FeatureCache cache = md.cache(test, md.routers() != null || uncertainty != null);
        Evaluation eval = new Evaluation(s, cache, md.routers());
        double l = lambda != null
                ? lambda
                : md.routers() == null ? 0 : md.routers().defaultLambda();
        List<PolicyResult> results = new ArrayList<>();
        ServingEngine engine = new ServingEngine(md.artifact().weights(), 1);
        // warm the JIT and the native library on the full path, so the first method timed is not penalised
        Evaluation.time(engine, test, md.norm(), ExitRule.fixed(ModelSpec.STAGES), Math.min(timedImages, 200));
        for (PolicyResult r : eval.all(l, SEED)) {
            ExitRule rule = eval.ruleFor(r);
            results.add(
                    rule == null || timedImages <= 0
                            ? r
                            : r.withTime(Evaluation.time(engine, test, md.norm(), rule, timedImages)));
        }
        out.printf(
                "%d test images (%s), EM lambda %.2f%n",
                cache.count(),
                cache.task().multiLabel()
                        ? "accuracy: exact tool set at the model's thresholds, on " + cache.scoredCount() + " labelled"
                        : "accuracy: top-1 on " + cache.scoredCount() + " with one known class",
                l);
        out.printf(
                "%-14s %9s %9s %8s %8s %10s  %s%n",
                "method", "param", "accuracy", "cost", "nominal", "ms/image", "exit mix");
        for (PolicyResult r : results) {
            out.printf(
                    "%-14s %9.3f %9.4f %8.3f %8.3f %10.3f  %s%n",
                    r.method(),
                    r.parameter(),
                    r.accuracy(),
                    r.cost(),
                    r.nominalCost(),
                    r.msPerImage(),
                    fmt(r.exitMix()));
        }
        Map<String, ToolMetrics> tools = null;
        if (data.isLabelFormat() || cache.task().multiLabel()) {
            tools = toolMetrics(eval, results, md.artifact().manifest().classes());
            printTools(out, tools, md.artifact().manifest().classes());
        }
        Map<String, Uncertainty.Coverage> coverage = null;
        if (uncertainty != null) {
            coverage = new LinkedHashMap<>();
            for (PolicyResult r : results) coverage.put(r.method(), uncertainty.coverage(cache, eval.exits(r, SEED)));
            out.printf(
                    "%nuncertain frames (%s at the exit taken): coverage = share not flagged; accuracy on them;"
                            + " confident wrong = share of frames answered wrong without a flag%n",
                    uncertainty.signal());
            out.printf("%-14s %9s %9s %15s%n", "method", "coverage", "accuracy", "confident wrong");
            for (Map.Entry<String, Uncertainty.Coverage> e : coverage.entrySet()) {
                Uncertainty.Coverage c = e.getValue();
                out.printf(
                        "%-14s %9.4f %9.4f %15.4f%n",
                        e.getKey(), c.coverage(), c.coveredAccuracy(), c.confidentWrong());
            }
        }
        List<DifficultyBreakdown.Level> levels = null;
        if (byDifficulty) {
            int[] level = data.difficulty(test, difficultyColumn);
            double[] exitCost = new double[ModelSpec.STAGES + 1];
            for (int e = 1; e <= ModelSpec.STAGES; e++)
                exitCost[e] = md.artifact().manifest().exits().get(e - 1).normalisedCost();
            int[] emExits = md.routers() == null
                    ? ExitPolicies.fixed(cache.count(), ModelSpec.STAGES)
                    : ExitPolicies.em(cache, md.routers(), l);
            levels = DifficultyBreakdown.of(cache, level, emExits, exitCost);
            out.printf("%nby %s (EM at lambda %.2f):%n", difficultyColumn, l);
            out.printf(
                    "%5s %7s %-27s %9s %9s %8s  %-19s %s%n",
                    "level",
                    "images",
                    "exit 1 / 2 / 3 / 4 (full)",
                    "EM",
                    "mean exit",
                    "EM cost",
                    "EM exit mix",
                    "oracle mean exit");
            for (DifficultyBreakdown.Level v : levels) {
                double[] a = v.exitAccuracy();
                out.printf(
                        "%5d %7d %.4f %.4f %.4f %.4f  %9.4f %9.2f %8.3f  %-19s %.2f%n",
                        v.level(),
                        v.images(),
                        a[0],
                        a[1],
                        a[2],
                        a[3],
                        v.emAccuracy(),
                        v.emMeanExit(),
                        v.emCost(),
                        fmt(v.emExitMix()),
                        v.oracleMeanExit());
            }
        }
        if (frames != null) {
            FrameTable.write(cache, md.artifact().manifest().classes(), frames);
            out.printf("per-frame probabilities written to %s%n", frames);
        }
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            if (levels != null) doc.put("byDifficulty", levels);
            doc.put("model", model.toString());
            doc.put("testImages", cache.count());
            doc.put("lambda", l);
            doc.put("timedImages", timedImages);
            doc.put("task", cache.task());
            doc.put("results", results);
            if (coverage != null) doc.put("uncertainty", coverage);
            if (tools != null) {
                doc.put("classes", md.artifact().manifest().classes());
                doc.put("toolMetrics", tools);
                doc.put("notes", data.notes());
            }
            JsonFiles.write(json, doc);
        }
        return 0;
    }

    /** Per-tool metrics of every method in the table (fixed exits included), keyed as the table names them. */
    private static Map<String, ToolMetrics> toolMetrics(
            Evaluation eval, List<PolicyResult> results, List<String> classes) {
        Map<String, ToolMetrics> m = new LinkedHashMap<>();
        for (PolicyResult r : results) m.put(r.method(), ToolMetrics.of(eval.cache(), eval.exits(r, SEED), classes));
        return m;
    }

    private static void printTools(java.io.PrintWriter out, Map<String, ToolMetrics> tools, List<String> classes) {
        out.printf(
                "%nper tool: average precision / F1 at the model's decision rule; mAP over the tools with positive and negative frames;"
                        + " 1-tool: top class right on frames with exactly one known tool%n");
        StringBuilder head = new StringBuilder(String.format("%-14s %7s %7s", "method", "mAP", "1-tool"));
        for (String c : classes) head.append(String.format(" %13s", abbreviate(c)));
        out.println(head);
        for (Map.Entry<String, ToolMetrics> e : tools.entrySet()) {
            ToolMetrics t = e.getValue();
            StringBuilder row =
                    new StringBuilder(String.format("%-14s %7.4f %7.4f", e.getKey(), t.map(), t.singleToolAccuracy()));
            for (int k = 0; k < classes.size(); k++)
                row.append(String.format(" %6s/%-6s", num(t.ap()[k], 3), num(t.f1()[k], 2)));
            out.println(row);
        }
        ToolMetrics any = tools.values().iterator().next();
        StringBuilder pos = new StringBuilder(String.format("%-14s %7s %7d", "frames", "", any.singleToolFrames()));
        for (int k = 0; k < classes.size(); k++) pos.append(String.format(" %13d", any.positives()[k]));
        out.println(pos);
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format("%." + decimals + "f", v);
    }

    private static String abbreviate(String s) {
        return s.length() <= 13 ? s : s.substring(0, 13);
    }

    static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(String.format("%.2f ", x));
        return b.toString().trim();
    }
}
