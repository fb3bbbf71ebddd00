package ai.emadaptive.cli;

import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.artifact.WeightPrecision;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.model.Flops;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.routing.DefaultLambda;
import ai.emadaptive.routing.Evaluation;
import ai.emadaptive.routing.FeatureCache;
import ai.emadaptive.routing.PolicyResult;
import ai.emadaptive.routing.RouterSet;
import ai.emadaptive.routing.RouterTrainer;
import ai.emadaptive.routing.Thresholds;
import ai.emadaptive.routing.ToolMetrics;
import ai.emadaptive.routing.Uncertainty;
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
        name = "routers",
        mixinStandardHelpOptions = true,
        description =
                "Fit EM routers on a trained model's feature cache and store them in the artifact. They are fitted on"
                        + " the training images of --data (or the held-out ones with --holdout-every): best on images the network"
                        + " did not train on, such as a freshly generated set, because on its own training images every exit looks right.")
public final class RoutersCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "trained model artifact")
    Path model;

    @Mixin
    DataSetOptions data;

    @Option(names = "--out", required = true, description = "artifact to write, with routers")
    Path out;

    @Option(
            names = "--feature-only",
            description = "the seed's router: the pooled stage feature only, no head confidence")
    boolean featureOnly;

    @Option(
            names = "--confidence-only",
            description =
                    "routers of the head's confidence only (three inputs), no pooled feature: for routing frames from"
                            + " few videos, whose pooled features tell the videos apart and let the routers learn them")
    boolean confidenceOnly;

    @Option(
            names = "--lambdas",
            split = ",",
            description = "lambda grid the routers learn, or 'auto': 8 points from 0 to where EM"
                    + " sends every image to exit 1 (default: 0,0.5,1,2,4,8,16,32 for single-label models, auto for multi-label ones,"
                    + " whose exits' summed per-tool evidence differs less)")
    List<String> lambdaGrid;

    @Option(names = "--em-iterations", defaultValue = "5", description = "EM iterations (default ${DEFAULT-VALUE})")
    int emIterations;

    @Option(
            names = "--evidence-weight",
            defaultValue = "" + RouterTrainer.EVIDENCE_WEIGHT,
            description = "weight of each image's"
                    + " evidence and cost against the EM prior in the E-step: 1 is the seed's; larger lets the image decide its exit"
                    + " (default ${DEFAULT-VALUE})")
    double evidenceWeight;

    @Option(
            names = "--epochs",
            defaultValue = "10",
            description = "router epochs over (image, lambda) pairs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--default-lambda",
            description = "lambda the service starts with (default: the largest on the grid"
                    + " within 0.5 point of the full network on the routing images, in accuracy; in mAP for a multi-label"
                    + " model)")
    Double defaultLambda;

    @Option(
            names = "--weight-precision",
            description = "FLOAT32 or FLOAT16 (kernels as IEEE binary16: half the file,"
                    + " float32 again once loaded; default: as --model stores them)")
    WeightPrecision precision;

    @Option(
            names = "--uncertainty-quantile",
            defaultValue = "" + Uncertainty.DEFAULT_QUANTILE,
            description =
                    "also calibrate"
                            + " when a frame is uncertain on the routing frames: the share of them each exit keeps certain (default ${DEFAULT-VALUE})")
    double uncertaintyQuantile;

    @Option(
            names = "--keep-thresholds",
            description = "multi-label: keep the model's per-tool thresholds (those train"
                    + " chose) instead of choosing them again on the routing frames; for routing frames too few or too one-sided"
                    + " to choose them on (a few clips in which a tool is always or never in view)")
    boolean keepThresholds;

    @Spec
    CommandSpec spec;

    /** mAP over the tools with positive and negative routing frames; NaN when no tool has both. */
    private static double map(Evaluation eval, PolicyResult r, List<String> classes) {
        return ToolMetrics.of(eval.cache(), eval.exits(r, 0), classes).map();
    }

    static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.round(v[i] * 1000) / 1000.0;
        return r;
    }

    @Override
    public Integer call() throws Exception {
        if (featureOnly && confidenceOnly) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--feature-only and --confidence-only exclude each other");
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        var out = spec.commandLine().getOut();
        ModelData md = ModelData.load(model, data);
        // routers are fitted on the weights as the written file will hold them
        ModelArtifact artifact =
                precision == null ? md.artifact() : md.artifact().withWeightPrecision(precision);
        ModelSpec s = artifact.manifest().spec();
        long t0 = System.nanoTime();
        ImageSet fit = md.heldOut() != null ? md.heldOut() : md.train();
        data.notes().forEach(n -> out.println("note: " + n));
        Manifest before = artifact.manifest();
        FeatureCache cache =
                FeatureCache.of(artifact.weights(), fit, md.norm(), 64, true, before.task(), before.thresholdArray());
        out.printf(
                "feature cache: %d %s images in %.0f s%n",
                cache.count(), md.heldOut() != null ? "held-out" : "training", (System.nanoTime() - t0) / 1e9);
        double[][] thresholds = null;
        if (before.task().multiLabel() && keepThresholds) {
            thresholds = before.thresholdArray();
            out.printf(
                    "thresholds (exit 4) kept from the model: %s%n",
                    java.util.Arrays.toString(round(thresholds[ModelSpec.STAGES - 1])));
        } else if (before.task().multiLabel()) {
            // the routers and the oracle judge exits by their tool sets, so the thresholds are chosen first, on the
            // same images
            thresholds = Thresholds.choose(cache);
            cache = cache.withThresholds(thresholds);
            out.printf(
                    "thresholds (exit 4) chosen on these images: %s%n",
                    java.util.Arrays.toString(round(thresholds[ModelSpec.STAGES - 1])));
        }
        long[] routerFlops = RouterTrainer.routerFlops(s, !featureOnly, confidenceOnly);
        Flops flops = new Flops(s, routerFlops);
        double[] cost = new double[ModelSpec.STAGES];
        for (int k = 1; k <= ModelSpec.STAGES; k++) cost[k - 1] = flops.normalisedExitPath(k);
        boolean auto = lambdaGrid == null
                ? before.task().multiLabel()
                : lambdaGrid.size() == 1 && "auto".equals(lambdaGrid.get(0));
        double[] lambdas = auto
                ? RouterTrainer.autoGrid(cache, cost, 8, emIterations, evidenceWeight)
                : lambdaGrid == null
                        ? new double[] {0, 0.5, 1, 2, 4, 8, 16, 32}
                        : lambdaGrid.stream().mapToDouble(Double::parseDouble).toArray();
        if (auto) out.printf("lambda grid (auto): %s%n", java.util.Arrays.toString(round(lambdas)));
        RouterTrainer.Options o = new RouterTrainer.Options(
                lambdas, emIterations, evidenceWeight, !featureOnly, confidenceOnly, epochs, 1e-2, 512, 1);
        RouterSet routers = RouterTrainer.train(cache, cost, o, 0);
        Evaluation eval = new Evaluation(s, cache, routers);
        // A multi-label model is judged by mAP: its exact tool set can be right on so few routing frames at every exit
        // that every lambda "ties" with the full network and the rule would pick the cheapest.
        List<String> classes = before.classes();
        boolean byMap = before.task().multiLabel();
        PolicyResult full = eval.full();
        double[] accuracies = new double[lambdas.length], maps = new double[lambdas.length];
        for (int i = 0; i < lambdas.length; i++) {
            PolicyResult r = eval.em(lambdas[i]);
            accuracies[i] = r.accuracy();
            if (byMap) maps[i] = map(eval, r, classes);
            out.printf(
                    "lambda %6.2f: accuracy %.4f,%s cost %.3f, exit mix %s%n",
                    lambdas[i],
                    r.accuracy(),
                    byMap ? String.format(" mAP %.4f,", maps[i]) : "",
                    r.cost(),
                    java.util.Arrays.toString(r.exitMix()));
        }
        double fullMap = byMap ? map(eval, full, classes) : Double.NaN;
        byMap &= !Double.isNaN(fullMap);
        if (byMap) out.printf("full network: mAP %.4f (the default lambda is chosen by mAP)%n", fullMap);
        double def = defaultLambda != null
                ? defaultLambda
                : DefaultLambda.choose(
                        lambdas, byMap ? maps : accuracies, byMap ? fullMap : full.accuracy(), DefaultLambda.TOLERANCE);
        routers = routers.withDefault(
                def, data.data + " (" + cache.count() + (md.heldOut() != null ? " held-out" : "") + " images)");
        Manifest m = artifact.manifest().withRouters(routers.toJson(), routerFlops);
        if (thresholds != null) m = m.withTask(TaskType.MULTI_LABEL, thresholds);
        m = m.withUncertainty(UncertaintyCommand.calibrate(cache, uncertaintyQuantile, routers.fittedOn(), out)
                .toJson());
        ArtifactWriter.write(new ModelArtifact(m, artifact.weights()), this.out);
        out.printf("routers (%s), default lambda %.2f, written to %s%n", routers.method(), def, this.out);
        return 0;
    }
}
