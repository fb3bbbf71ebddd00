package ai.emadaptive.cli;

import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.artifact.WeightPrecision;
import ai.emadaptive.artifact.WeightsImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "import-weights",
        mixinStandardHelpOptions = true,
        description = "Make a model artifact (without routers) of a network trained elsewhere, e.g. on a GPU by"
                + " tools/gpu-training/gpu_train.py: its weights.bin (EMAW format) and meta.json. Then run 'routers'.")
public final class ImportWeightsCommand implements Callable<Integer> {

    @Option(
            names = "--weights",
            required = true,
            description = "weights.bin: every tensor of the architecture, EMAW format")
    Path weights;

    @Option(
            names = "--meta",
            required = true,
            description = "meta.json: architecture, classes, mean, std, data, command, metrics")
    Path meta;

    @Option(names = "--out", required = true, description = "model artifact to write")
    Path out;

    @Option(
            names = "--weight-precision",
            defaultValue = "FLOAT32",
            description = "FLOAT32 or FLOAT16 (kernels as IEEE"
                    + " binary16: half the file, float32 again once loaded; default ${DEFAULT-VALUE})")
    WeightPrecision precision;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // an ArtifactException (incomplete meta data, weights that do not fit) is reported by UserErrorHandler
        ModelArtifact artifact = WeightsImport.read(weights, meta).withWeightPrecision(precision);
        ArtifactWriter.write(artifact, out);
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s: %s, %d classes%n",
                        out,
                        artifact.manifest().spec(),
                        artifact.manifest().classes().size());
        return 0;
    }
}
