package ai.emadaptive.cli;

import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.routing.FeatureCache;
import ai.emadaptive.routing.Uncertainty;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "uncertainty",
        mixinStandardHelpOptions = true,
        description =
                "Calibrate when a frame is 'uncertain' (unlike the model's in-distribution frames) on labelled frames"
                        + " the network did not train on, and store it in the artifact; routers and weights are kept. The routers"
                        + " command calibrates it too.")
public final class UncertaintyCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "trained model artifact")
    Path model;

    @Mixin
    DataSetOptions data;

    @Option(names = "--out", required = true, description = "artifact to write")
    Path out;

    @Option(
            names = "--quantile",
            defaultValue = "" + Uncertainty.DEFAULT_QUANTILE,
            description = "share of in-distribution"
                    + " frames each exit's threshold keeps certain (default ${DEFAULT-VALUE})")
    double quantile;

    @Option(
            names = "--fit-on",
            description = "fit the in-distribution distances on these frames (same format as --data,"
                    + " e.g. the network's own training frames, from many videos) and set the thresholds on --data's frames (e.g."
                    + " frames of videos it did not train on), so that a new video of the same kind counts as certain; without it"
                    + " a random half of --data's frames fits and the other half sets the thresholds")
    Path fitOn;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        var console = spec.commandLine().getOut();
        ModelData md = ModelData.load(model, data);
        data.notes().forEach(n -> console.println("note: " + n));
        ImageSet fit = md.heldOut() != null ? md.heldOut() : md.train();
        FeatureCache cache = md.cache(fit, true);
        Uncertainty u;
        if (fitOn == null) {
            u = calibrate(
                    cache,
                    quantile,
                    data.data + " (" + cache.count() + (md.heldOut() != null ? " held-out" : "") + " frames)",
                    console);
        } else {
            DataSetOptions fitData = data.on(fitOn);
            FeatureCache fitCache = md.cache(fitData.load(md.artifact().manifest())[0], true);
            fitData.notes().forEach(n -> console.println("note: " + n));
            u = Uncertainty.fit(
                    fitCache.features(),
                    Uncertainty.groups(fitCache),
                    cache.features(),
                    quantile,
                    fitOn + " (" + fitCache.count() + " frames) for the distances, " + data.data + " (" + cache.count()
                            + " frames) for the thresholds");
            print(u, quantile, fitCache.count() + " + " + cache.count(), console);
        }
        ModelArtifact a = md.artifact();
        ArtifactWriter.write(new ModelArtifact(a.manifest().withUncertainty(u.toJson()), a.weights()), out);
        console.println("wrote " + out);
        return 0;
    }

    /** Fits the calibration on a cache with features and prints each exit's threshold. */
    static Uncertainty calibrate(FeatureCache cache, double quantile, String fittedOn, java.io.PrintWriter console) {
        Uncertainty u = Uncertainty.fit(cache.features(), Uncertainty.groups(cache), quantile, fittedOn);
        print(u, quantile, String.valueOf(cache.count()), console);
        return u;
    }

    private static void print(Uncertainty u, double quantile, String frames, java.io.PrintWriter console) {
        StringBuilder t = new StringBuilder();
        for (int e = 1; e <= u.thresholds().length; e++)
            t.append(String.format(" exit %d %.2f;", e, u.thresholds()[e - 1]));
        console.printf(
                "uncertainty (%s, %.1f%% of held-out frames certain) on %s frames, %d groups, thresholds (in units of each stage's own quantile distance)%s%n",
                Uncertainty.SIGNAL,
                100 * quantile,
                frames,
                u.stages().get(0).means().size(),
                t.substring(0, t.length() - 1));
    }
}
