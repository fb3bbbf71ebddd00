package ai.emadaptive.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.artifact.WeightPrecision;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.model.Flops;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.routing.DefaultLambda;
import ai.emadaptive.routing.Evaluation;
import ai.emadaptive.routing.FeatureCache;
import ai.emadaptive.routing.PolicyResult;
import ai.emadaptive.routing.RouterSet;
import ai.emadaptive.routing.RouterTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "routers", mixinStandardHelpOptions = true,
        description = "Fit EM routers on a trained model's feature cache and store them in the artifact. They are fitted on"
                + " the training images of --data (or the held-out ones with --holdout-every): best on images the network"
                + " did not train on, such as a freshly generated set, because on its own training images every exit looks right.")
public final class RoutersCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "trained model artifact")
    Path model;

    @Mixin
    DataSetOptions data;

    @Option(names = "--out", required = true, description = "artifact to write, with routers")
    Path out;

    @Option(names = "--feature-only", description = "the seed's router: the pooled stage feature only, no head confidence")
    boolean featureOnly;

    @Option(names = "--lambdas", split = ",", defaultValue = "0,0.5,1,2,4,8,16,32",
            description = "lambda grid the routers learn (default ${DEFAULT-VALUE})")
    double[] lambdas;

    @Option(names = "--em-iterations", defaultValue = "5", description = "EM iterations (default ${DEFAULT-VALUE})")
    int emIterations;

    @Option(names = "--evidence-weight", defaultValue = "" + RouterTrainer.EVIDENCE_WEIGHT, description = "weight of each image's"
            + " evidence and cost against the EM prior in the E-step: 1 is the seed's; larger lets the image decide its exit"
            + " (default ${DEFAULT-VALUE})")
    double evidenceWeight;

    @Option(names = "--epochs", defaultValue = "10", description = "router epochs over (image, lambda) pairs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--default-lambda", description = "lambda the service starts with (default: the largest on the grid"
            + " within 0.5 point of the full network on the routing images)")
    Double defaultLambda;

    @Option(names = "--weight-precision", description = "FLOAT32 or FLOAT16 (kernels as IEEE binary16: half the file,"
            + " float32 again once loaded; default: as --model stores them)")
    WeightPrecision precision;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        var out = spec.commandLine().getOut();
        ModelData md = ModelData.load(model, data);
        // routers are fitted on the weights as the written file will hold them
        ModelArtifact artifact = precision == null ? md.artifact() : md.artifact().withWeightPrecision(precision);
        ModelSpec s = artifact.manifest().spec();
        long t0 = System.nanoTime();
        ImageSet fit = md.heldOut() != null ? md.heldOut() : md.train();
        FeatureCache cache = FeatureCache.of(artifact.weights(), fit, md.norm(), 64, true);
        out.printf("feature cache: %d %s images in %.0f s%n", cache.count(), md.heldOut() != null ? "held-out" : "training",
                (System.nanoTime() - t0) / 1e9);
        RouterTrainer.Options o = new RouterTrainer.Options(lambdas, emIterations, evidenceWeight, !featureOnly, epochs, 1e-2, 512, 1);
        long[] routerFlops = RouterTrainer.routerFlops(s, !featureOnly);
        Flops flops = new Flops(s, routerFlops);
        double[] cost = new double[ModelSpec.STAGES];
        for (int k = 1; k <= ModelSpec.STAGES; k++) cost[k - 1] = flops.normalisedExitPath(k);
        RouterSet routers = RouterTrainer.train(cache, cost, o, 0);
        Evaluation eval = new Evaluation(s, cache, routers);
        double full = eval.full().accuracy();
        double[] accuracies = new double[lambdas.length];
        for (int i = 0; i < lambdas.length; i++) {
            PolicyResult r = eval.em(lambdas[i]);
            accuracies[i] = r.accuracy();
            out.printf("lambda %6.2f: accuracy %.4f, cost %.3f, exit mix %s%n", lambdas[i], r.accuracy(), r.cost(), java.util.Arrays.toString(r.exitMix()));
        }
        double def = defaultLambda != null ? defaultLambda : DefaultLambda.choose(lambdas, accuracies, full, DefaultLambda.TOLERANCE);
        routers = routers.withDefault(def, data.data + " (" + cache.count() + (md.heldOut() != null ? " held-out" : "") + " images)");
        Manifest m = artifact.manifest().withRouters(routers.toJson(), routerFlops);
        ArtifactWriter.write(new ModelArtifact(m, artifact.weights()), this.out);
        out.printf("routers (%s), default lambda %.2f, written to %s%n", routers.method(), def, this.out);
        return 0;
    }
}
