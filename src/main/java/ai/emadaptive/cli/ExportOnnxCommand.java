package ai.emadaptive.cli;

import ai.emadaptive.artifact.EmbeddedModel;
import ai.emadaptive.onnx.OnnxExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "export-onnx",
        mixinStandardHelpOptions = true,
        description =
                "Export a model artifact as ONNX graphs that other runtimes can serve with early exits: stage0..4.onnx"
                        + " (stem and stages), exit1..4.onnx (heads) and model.json (manifest: classes, normalisation, routers,"
                        + " lambda, thresholds).")
public final class ExportOnnxCommand implements Callable<Integer> {
    @Option(names = "--model", description = "model artifact (default: the embedded default model)")
    Path model;

    @Option(names = "--out", required = true, description = "folder to write the graphs into")
    Path out;

    @Override
    public Integer call() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        List<Path> files = OnnxExport.write(EmbeddedModel.readOr(model), out);
        for (Path f : files) System.out.printf("wrote %s (%,d bytes)%n", f, Files.size(f));
        return 0;
    }
}
