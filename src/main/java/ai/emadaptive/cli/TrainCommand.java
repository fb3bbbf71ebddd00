package ai.emadaptive.cli;

import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.artifact.ArtifactWriter;
import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.data.Augmentation;
import ai.emadaptive.data.DataException;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.routing.FeatureCache;
import ai.emadaptive.routing.Thresholds;
import ai.emadaptive.train.Phase;
import ai.emadaptive.train.TrainingRun;
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
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a multi-exit ResNet-18: the seed's two stages (backbone on the final exit, then the four"
                + " heads on the frozen backbone) or all exits jointly. Checkpoints every epoch; --resume continues.")
public final class TrainCommand implements Callable<Integer> {

    public enum Mode {
        TWO_STAGE,
        JOINT
    }

    @Mixin
    DataSetOptions dataSet;

    @Option(names = "--mode", defaultValue = "TWO_STAGE", description = "TWO_STAGE or JOINT (default ${DEFAULT-VALUE})")
    Mode mode;

    @Option(
            names = "--task",
            description =
                    "SINGLE_LABEL (a softmax: one class per frame) or MULTI_LABEL (one sigmoid per"
                            + " class: tool presence); default: MULTI_LABEL for YOLO and Cholec80 tool labels, SINGLE_LABEL otherwise")
    TaskType task;

    @Option(names = "--width", defaultValue = "32", description = "stage-1 channels (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--head", defaultValue = "MLP", description = "exit head: MLP or CONV (default ${DEFAULT-VALUE})")
    HeadType head;

    @Option(
            names = "--input-size",
            defaultValue = "32",
            description = "frames are resized to this (default ${DEFAULT-VALUE})")
    int inputSize;

    @Option(
            names = "--stem",
            defaultValue = "CIFAR",
            description = "CIFAR, IMAGENET or COMPACT (default ${DEFAULT-VALUE})")
    Stem stem;

    @Option(
            names = "--epochs-backbone",
            defaultValue = "30",
            description = "two-stage: backbone epochs (default ${DEFAULT-VALUE})")
    int epochsBackbone;

    @Option(
            names = "--epochs-exits",
            defaultValue = "10",
            description = "two-stage: head epochs (default ${DEFAULT-VALUE})")
    int epochsExits;

    @Option(names = "--epochs", defaultValue = "30", description = "joint: epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--distill",
            defaultValue = "0",
            description = "joint: distillation temperature from the final exit"
                    + " to exits 1-3, 0 for none (default ${DEFAULT-VALUE})")
    double distill;

    @Option(
            names = "--distill-weight",
            defaultValue = "0.5",
            description = "joint: weight of the distillation term (default ${DEFAULT-VALUE})")
    double distillWeight;

    @Option(
            names = "--exit-weights",
            split = ",",
            defaultValue = "1,1,1,1",
            description = "joint: loss weight of exits 1-4,"
                    + " e.g. 1,1,2,2 to guard the deep exits while the early ones learn (default ${DEFAULT-VALUE})")
    double[] exitWeights;

    @Option(names = "--batch", defaultValue = "128", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--lr",
            defaultValue = "0.1",
            description = "peak learning rate, backbone or joint (default ${DEFAULT-VALUE})")
    double lr;

    @Option(
            names = "--lr-exits",
            defaultValue = "0.01",
            description = "learning rate of the heads stage (default ${DEFAULT-VALUE})")
    double lrExits;

    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "L2 weight decay (default ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "seed of initialisation, shuffling and augmentation (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "model artifact to write")
    Path out;

    @Option(names = "--checkpoint", description = "checkpoint folder (default: <out>.checkpoint)")
    Path checkpoint;

    @Option(
            names = "--augment",
            defaultValue = "CIFAR",
            description = "CIFAR (random crop of the padded image and a flip;"
                    + " generated scenes) or SCENE (random zoom, framing, light, colour and blur: real footage, where a few videos"
                    + " would otherwise teach their look rather than the tools) (default ${DEFAULT-VALUE})")
    Augmentation augment;

    @Option(
            names = "--fit",
            defaultValue = "CENTRE_SQUARE",
            description = "how a video frame becomes the square input:"
                    + " CENTRE_SQUARE (the scope's round view in the middle of a wide frame), WHOLE_FRAME (squeezed: instruments"
                    + " entering at the edges stay in view) or LETTERBOX (the whole frame at its aspect ratio between black"
                    + " bars: edges in view, shapes kept, at a larger input for the same scale); the model keeps it, so the service and evaluate cut frames the same"
                    + " way (default ${DEFAULT-VALUE})")
    Fit fit;

    /** The --fit choices, as the manifest names them. */
    enum Fit {
        CENTRE_SQUARE(Manifest.Input.CENTRE_SQUARE),
        WHOLE_FRAME(Manifest.Input.WHOLE_FRAME),
        LETTERBOX(Manifest.Input.LETTERBOX);

        final String manifestName;

        Fit(String manifestName) {
            this.manifestName = manifestName;
        }
    }

    @Option(
            names = "--init",
            description = "start from this model's weights and normalisation (e.g. --epochs-backbone 0"
                    + " to train only the heads of a trained backbone); a model with another --head or other classes (pre-training"
                    + " on other data) gives only its backbone")
    Path init;

    @Option(names = "--resume", description = "continue from the checkpoint folder")
    boolean resume;

    @Option(
            names = "--max-epochs",
            defaultValue = "0",
            description = "stop after this many epochs in this run, to continue" + " later with --resume (0: no limit)")
    int maxEpochs;

    @Spec
    CommandSpec spec;

    /**
     * A multi-label model's decision thresholds, chosen where the network has not trained when it can be: on the
     * held-out images (--holdout-every), else on its training images; {@code routers} chooses them again on its own
     * routing images.
     */
    private static ModelArtifact withThresholds(
            ModelArtifact a, ImageSet on, boolean heldOut, java.io.PrintWriter console) {
        Manifest m = a.manifest();
        FeatureCache cache = FeatureCache.of(
                a.weights(),
                on,
                new Normalisation(m.input().mean(), m.input().std()),
                64,
                false,
                TaskType.MULTI_LABEL,
                null);
        double[][] t = Thresholds.choose(cache);
        console.printf(
                "thresholds chosen on %d %s images (exit 4): %s%n",
                on.count(),
                heldOut ? "held-out" : "training",
                java.util.Arrays.toString(RoutersCommand.round(t[ModelSpec.STAGES - 1])));
        return new ModelArtifact(m.withTask(TaskType.MULTI_LABEL, t), a.weights());
    }

    @Override
    public Integer call() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        var console = spec.commandLine().getOut();
        ImageSet train;
        ImageSet val;
        ImageSet heldOut;
        try {
            dataSet.fit(fit.manifestName);
            ImageSet[] sets = dataSet.load(inputSize, task);
            train = sets[0];
            val = sets[1];
            heldOut = sets[2];
        } catch (DataException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        }
        dataSet.notes().forEach(n -> console.println("note: " + n));
        console.printf(
                "data: %d training images, %s validation images, %d classes %s (%s), %dx%d%n",
                train.count(),
                val == null ? "no" : String.valueOf(val.count()),
                train.classes().size(),
                train.classes(),
                train.multiLabel() ? "multi-label" : "single-label",
                inputSize,
                inputSize);
        List<Phase> phases = mode == Mode.TWO_STAGE
                ? List.of(
                        Phase.backbone(epochsBackbone, lr, weightDecay), Phase.exits(epochsExits, lrExits, weightDecay))
                : List.of(Phase.joint(epochs, lr, weightDecay, exitWeights, distill, distillWeight));
        ModelSpec model =
                new ModelSpec(width, inputSize, 3, stem, train.classes().size(), head);
        Path ckpt = checkpoint != null ? checkpoint : Path.of(out + ".checkpoint");
        TrainingRun.Config config = new TrainingRun.Config(
                model,
                phases,
                batch,
                seed,
                dataSet.describe(train, val),
                "em-adaptive "
                        + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                ckpt,
                maxEpochs,
                augment);
        TrainingRun run = new TrainingRun(config, console);
        if (init != null) run.initFrom(ArtifactReader.read(init));
        ModelArtifact artifact = run.run(train, val, resume);
        artifact = new ModelArtifact(artifact.manifest().withInputFit(fit.manifestName), artifact.weights());
        if (train.multiLabel())
            artifact = withThresholds(artifact, heldOut != null ? heldOut : train, heldOut != null, console);
        ArtifactWriter.write(artifact, out);
        console.println("wrote " + out);
        return 0;
    }
}
