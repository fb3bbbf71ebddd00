package ai.emadaptive.cli;

import ai.emadaptive.bench.BenchmarkReportPrinter;
import ai.emadaptive.bench.EngineBenchmark;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Latency and throughput of the serving engine against DL4J's layer API on every exit path,"
                + " this machine's conv peak, and training throughput.")
public final class BenchCommand implements Callable<Integer> {

    @Option(
            names = "--width",
            defaultValue = "64",
            description = "stage-1 channels (64 = ResNet-18; default ${DEFAULT-VALUE})")
    int width;

    @Option(
            names = "--input-size",
            defaultValue = "32",
            description = "input side in pixels (default ${DEFAULT-VALUE})")
    int inputSize;

    @Option(
            names = "--stem",
            defaultValue = "CIFAR",
            description = "CIFAR, IMAGENET or COMPACT (default ${DEFAULT-VALUE})")
    Stem stem;

    @Option(names = "--head", defaultValue = "MLP", description = "exit head: MLP or CONV (default ${DEFAULT-VALUE})")
    HeadType head;

    @Option(names = "--classes", defaultValue = "10", description = "classes (default ${DEFAULT-VALUE})")
    int classes;

    @Option(
            names = "--batches",
            split = ",",
            defaultValue = "1,32",
            description = "batch sizes (default ${DEFAULT-VALUE})")
    int[] batches;

    @Option(
            names = "--samples",
            defaultValue = "200",
            description = "timed engine runs at batch 1, scaled down for larger batches (default ${DEFAULT-VALUE})")
    int samples;

    @Option(
            names = "--baseline-samples",
            defaultValue = "20",
            description = "timed layer-API runs at batch 1, scaled down likewise (default ${DEFAULT-VALUE})")
    int baselineSamples;

    @Option(names = "--no-baseline", description = "skip DL4J's layer API")
    boolean noBaseline;

    @Option(names = "--train-batch", defaultValue = "128", description = "training batch (default ${DEFAULT-VALUE})")
    int trainBatch;

    @Option(
            names = "--train-steps",
            defaultValue = "5",
            description = "timed training steps, 0 to skip (default ${DEFAULT-VALUE})")
    int trainSteps;

    @Option(
            names = "--peer-threads",
            split = ",",
            defaultValue = "1,2",
            description = "thread counts of the side-by-side rows with"
                    + " ONNX Runtime, exit 1 and full path at each batch (0 to skip; default ${DEFAULT-VALUE})")
    int[] peerThreads;

    @Option(
            names = "--contention",
            paramLabel = "CLIP",
            description =
                    "also time each side-by-side row beside a competing"
                            + " process: Debian's ffmpeg decoding CLIP on one thread in a loop (e.g. sample-videos/mixed-procedure.mp4)")
    Path contention;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ModelSpec model = new ModelSpec(width, inputSize, 3, stem, classes, head);
        PrintWriter out = spec.commandLine().getOut();
        EngineBenchmark.Report report = new EngineBenchmark(
                        new EngineBenchmark.Options(
                                model,
                                batches,
                                samples,
                                baselineSamples,
                                !noBaseline,
                                trainBatch,
                                trainSteps,
                                peerThreads == null ? new int[0] : peerThreads,
                                contention),
                        out)
                .run();
        BenchmarkReportPrinter.print(report, out);
        out.flush();
        if (json != null) {
            JsonFiles.write(json, report);
            out.println("wrote " + json);
        }
        return 0;
    }
}
