package ai.emadaptive.cli;

import ai.emadaptive.artifact.ArtifactException;
import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ManifestPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "model-info",
        mixinStandardHelpOptions = true,
        description =
                "Print a model artifact's manifest: architecture, input, classes, per-exit FLOPs and cost, routers, provenance.")
public final class ModelInfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "model artifact (.zip)")
    Path file;

    @Option(names = "--verify", description = "also read and check every weight (CRC, shapes, finite values)")
    boolean verify;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            Manifest m = verify ? ArtifactReader.read(file).manifest() : ArtifactReader.readManifest(file);
            spec.commandLine().getOut().println(ManifestPrinter.render(m, file.toString(), Files.size(file)));
            if (verify) spec.commandLine().getOut().println("weights: verified");
            return 0;
        } catch (ArtifactException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("error: " + file + ": " + e.getMessage());
            return 2;
        }
    }
}
