package ai.emadaptive.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.data.CifarBinaryLoader;
import ai.emadaptive.data.DataException;
import ai.emadaptive.data.ImageFolderLoader;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.ingest.ClipFrames;
import ai.emadaptive.ingest.GroundTruth;
import ai.emadaptive.routing.DifficultyBreakdown;
import picocli.CommandLine.Option;

/**
 * Where a command reads its images: {@code <root>/train} and {@code <root>/test}, as class folders or CIFAR binaries;
 * or, for commands that score a trained model, a labelled clip (its frames are then both sets).
 */
public final class DataSetOptions {

    public enum Format { FOLDER, CIFAR_BINARY }

    @Option(names = "--data", required = true, description = "data set root: <root>/train and <root>/test class folders,"
            + " or CIFAR binary batches (data_batch_*.bin, test_batch.bin) with --format CIFAR_BINARY; for evaluate, sweep"
            + " and routers also a clip (.mp4 ...) with its ground-truth CSV beside it, cut to the model's input as the service"
            + " does")
    Path data;

    @Option(names = "--format", defaultValue = "FOLDER", description = "FOLDER or CIFAR_BINARY (default ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--limit-per-class", description = "use at most this many training images per class, and a fifth"
            + " as many test images (quick runs)")
    Integer limitPerClass;

    @Option(names = "--holdout-every", defaultValue = "0", description = "hold out every N-th training image of each class"
            + " (sorted order): training leaves them out and routers are fitted on them, which matters when the network"
            + " fits its training images far better than new ones (0: none, the default)")
    int holdoutEvery;

    @Option(names = "--frame-every", defaultValue = "1", description = "clips only: score frames 0, N, 2N, ... with their"
            + " sidecar rows (a long recording's neighbouring frames are nearly alike; default ${DEFAULT-VALUE}, every frame)")
    int frameEvery;

    /** Whether --data names a clip rather than a data set folder. */
    boolean isClip() {
        return ClipFrames.isClip(data);
    }

    /** As {@link #load(int)}, or for a clip its frames as both training and test set, cut to the model's input. */
    ImageSet[] load(Manifest manifest) throws IOException {
        if (!isClip()) return load(manifest.input().size());
        if (limitPerClass != null || holdoutEvery > 0) {
            throw new IllegalArgumentException("--limit-per-class and --holdout-every need a data set folder, not a clip");
        }
        ImageSet frames = ClipFrames.load(data, manifest.input(), manifest.classes(), frameEvery);
        return new ImageSet[] {frames, frames, null};
    }

    /**
     * The test set alone, for commands that only score a model (evaluate, sweep): the training images are not read,
     * which at CIFAR-10's 50,000 or a large generated set is most of the time and memory. Folder classes are taken in
     * the model's order. A clip gives its frames, as {@link #load(Manifest)}.
     */
    ImageSet loadTest(Manifest manifest) throws IOException {
        if (isClip()) return load(manifest)[1];
        if (holdoutEvery > 0) throw new IllegalArgumentException("--holdout-every is for routers and train; scoring uses the test set");
        if (frameEvery != 1) throw new IllegalArgumentException("--frame-every needs a clip, not a data set folder");
        return test(manifest.input().size(), manifest.classes());
    }

    /** {@code <root>/test} (folder classes in the given order) or {@code test_batch.bin}, limited; null when absent. */
    private ImageSet test(int inputSize, List<String> classes) {
        ImageSet test;
        if (format == Format.FOLDER) {
            Path testDir = data.resolve("test");
            if (!Files.isDirectory(testDir)) return null;
            test = ImageFolderLoader.load(testDir, inputSize, classes);
        } else {
            Path t = data.resolve("test_batch.bin");
            if (!Files.isRegularFile(t)) return null;
            test = CifarBinaryLoader.load(List.of(t));
        }
        return limitPerClass == null ? test : test.limitPerClass(Math.max(1, limitPerClass / 5));
    }

    /**
     * One difficulty column per test image, in set order: from {@code <root>/test/labels.csv} ({@code generate images})
     * or a clip's ground-truth CSV ({@code generate video}).
     */
    int[] difficulty(ImageSet test, String column) throws IOException {
        if (limitPerClass != null) throw new IllegalArgumentException("--by-difficulty needs the whole test set (no --limit-per-class)");
        if (isClip()) return ClipFrames.kept(GroundTruth.read(data, test.classes()).column(column), frameEvery);
        Path testDir = data.resolve("test");
        return DifficultyBreakdown.levels(testDir.resolve("labels.csv"), ImageFolderLoader.files(testDir, test.classes()), column);
    }

    /** {training set (without held-out images), test set (null when absent), held-out set (null when none)}. */
    ImageSet[] load(int inputSize) throws IOException {
        if (isClip()) throw new IllegalArgumentException(data + " is a clip: training needs a data set folder");
        if (frameEvery != 1) throw new IllegalArgumentException("--frame-every needs a clip, not a data set folder");
        ImageSet train;
        if (format == Format.FOLDER) {
            Path trainDir = Files.isDirectory(data.resolve("train")) ? data.resolve("train") : data;
            train = ImageFolderLoader.load(trainDir, inputSize);
        } else {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(data)) {
                s.filter(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin")).sorted().forEach(files::add);
            }
            if (files.isEmpty()) throw new DataException(data + ": no data_batch_*.bin files");
            train = CifarBinaryLoader.load(files);
        }
        ImageSet test = test(inputSize, train.classes());
        if (limitPerClass != null) train = train.limitPerClass(limitPerClass);
        ImageSet heldOut = null;
        if (holdoutEvery > 0) {
            ImageSet[] split = train.holdOutEvery(holdoutEvery);
            train = split[0];
            heldOut = split[1];
        }
        return new ImageSet[] {train, test, heldOut};
    }

    String describe(ImageSet train, ImageSet test) {
        return data + " (" + format + ", " + train.count() + " train / " + (test == null ? 0 : test.count()) + " test"
                + (holdoutEvery > 0 ? ", every " + holdoutEvery + "th training image per class held out" : "") + ")";
    }
}
