package ai.emadaptive.cli;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.data.Cholec80Labels;
import ai.emadaptive.data.CifarBinaryLoader;
import ai.emadaptive.data.ClassMatch;
import ai.emadaptive.data.ClipCsvLabels;
import ai.emadaptive.data.DataException;
import ai.emadaptive.data.FrameLabels;
import ai.emadaptive.data.ImageFolderLoader;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.ModelLabels;
import ai.emadaptive.data.YoloLabels;
import ai.emadaptive.ingest.ClipFrames;
import ai.emadaptive.ingest.GroundTruth;
import ai.emadaptive.ingest.LabelledFrameDecoder;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.routing.DifficultyBreakdown;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Where a command reads its images: {@code <root>/train} and {@code <root>/test}, as class folders or CIFAR binaries;
 * a surgical label format (YOLO, Cholec80, clip CSV; see {@link Format}); or, for commands that score a trained model,
 * a labelled clip (its frames are then both sets).
 */
public final class DataSetOptions {

    /**
     * FOLDER: class folders. CIFAR_BINARY: CIFAR-10's batches. YOLO: images/ + labels/ (+ data.yaml), split into
     * images/train|val|test or flat; tool presence = the frame's box classes. CHOLEC80: videoNN.mp4 with
     * videoNN-tool.txt (or -phase.txt with --cholec-labels PHASE), in train/ and test/ sub-folders or one folder.
     * CLIP_CSV: one label per clip (file and label columns, an optional split column).
     */
    public enum Format {
        FOLDER,
        CIFAR_BINARY,
        YOLO,
        CHOLEC80,
        CLIP_CSV
    }

    @Option(
            names = "--data",
            required = true,
            description = "data set root: <root>/train and <root>/test class folders,"
                    + " CIFAR binary batches (data_batch_*.bin, test_batch.bin) with --format CIFAR_BINARY, a YOLO folder (images/,"
                    + " labels/, data.yaml) with --format YOLO, a folder of Cholec80 videos and annotation files with --format CHOLEC80,"
                    + " a clip CSV with --format CLIP_CSV; for evaluate, sweep and routers also a clip (.mp4 ...) with its ground-truth"
                    + " CSV beside it, cut to the model's input as the service does")
    Path data;

    @Option(
            names = "--format",
            defaultValue = "FOLDER",
            description = "FOLDER, CIFAR_BINARY, YOLO, CHOLEC80 or CLIP_CSV" + " (default ${DEFAULT-VALUE})")
    Format format;

    @Option(
            names = "--class-map",
            split = ",",
            description = "data-set class = model class aliases for names that differ,"
                    + " e.g. clipper=clip-applier (names are matched case- and separator-blind without it; classes the model does not"
                    + " know are reported)")
    List<String> classMap = new ArrayList<>();

    @Option(
            names = "--cholec-labels",
            defaultValue = "TOOL",
            description = "CHOLEC80: TOOL (per-frame tool presence,"
                    + " multi-label, the annotated frames) or PHASE (the surgical phase, single-label, every --frame-every frame)"
                    + " (default ${DEFAULT-VALUE})")
    Cholec80Labels.Kind cholecLabels;

    @Option(
            names = "--label-column",
            description = "CLIP_CSV: the label column (default: the first of " + "class, label, instrument, tool)")
    String labelColumn;

    @Option(
            names = "--limit-per-class",
            description = "use at most this many training images per class, and a fifth"
                    + " as many test images (quick runs)")
    Integer limitPerClass;

    @Option(
            names = "--holdout-every",
            defaultValue = "0",
            description = "hold out every N-th training image of each class"
                    + " (sorted order): training leaves them out and routers are fitted on them, which matters when the network"
                    + " fits its training images far better than new ones (0: none, the default)")
    int holdoutEvery;

    @Option(
            names = "--frame-every",
            defaultValue = "1",
            description =
                    "clips, CLIP_CSV and Cholec80 phases: frames 0, N,"
                            + " 2N, ... (a recording's neighbouring frames are nearly alike; default ${DEFAULT-VALUE}, every frame)")
    int frameEvery;

    private final List<String> notes = new ArrayList<>();

    /** The same format and class options on another data set (whole: no limit, nothing held out). */
    DataSetOptions on(Path other) {
        DataSetOptions o = new DataSetOptions();
        o.data = other;
        o.format = format;
        o.classMap = new ArrayList<>(classMap);
        o.cholecLabels = cholecLabels;
        o.labelColumn = labelColumn;
        o.frameEvery = frameEvery;
        return o;
    }

    /** What loading left out or could not match (unknown classes, skipped frames): commands print these. */
    List<String> notes() {
        return notes;
    }

    /** Whether the format labels frames of surgical video (YOLO, Cholec80, clip CSV) rather than class folders or CIFAR. */
    boolean isLabelFormat() {
        return format == Format.YOLO || format == Format.CHOLEC80 || format == Format.CLIP_CSV;
    }

    /** The task a new model trains for on this data unless told: multi-label where the format labels tool sets. */
    TaskType defaultTask() {
        boolean multi =
                format == Format.YOLO || (format == Format.CHOLEC80 && cholecLabels == Cholec80Labels.Kind.TOOL);
        return multi ? TaskType.MULTI_LABEL : TaskType.SINGLE_LABEL;
    }

    /** Whether --data names a clip rather than a data set folder. */
    boolean isClip() {
        return ClipFrames.isClip(data);
    }

    /** As {@link #load(int)}, or for a clip its frames as both training and test set, cut to the model's input. */
    ImageSet[] load(Manifest manifest) throws IOException {
        if (isLabelFormat()) {
            ImageSet fit = forModel(labels(Role.TRAIN), manifest);
            return withHeldOut(limitPerClass == null ? fit : fit.limitPerClass(limitPerClass), null);
        }
        if (!isClip()) return load(manifest.input().size());
        if (limitPerClass != null || holdoutEvery > 0) {
            throw new IllegalArgumentException(
                    "--limit-per-class and --holdout-every need a data set folder, not a clip");
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
        if (holdoutEvery > 0)
            throw new IllegalArgumentException("--holdout-every is for routers and train; scoring uses the test set");
        if (isLabelFormat()) {
            FrameLabels test = labels(Role.TEST);
            return test == null ? null : limit(forModel(test, manifest));
        }
        if (frameEvery != 1)
            throw new IllegalArgumentException("--frame-every needs a clip or CLIP_CSV, not a data set folder");
        return test(manifest.input().size(), manifest.classes());
    }

    private enum Role {
        TRAIN,
        TEST
    }

    /**
     * The frames a role reads. YOLO: images/train for training; images/test, else images/val, for scoring; a flat
     * layout serves both. CHOLEC80: the train/ or test/ sub-folder when both exist, else the folder. CLIP_CSV: the rows
     * of split train, or test (else val), when the CSV has a split column, else every row. Null when the role has none.
     */
    private FrameLabels labels(Role role) throws IOException {
        return switch (format) {
            case YOLO -> {
                List<String> splits = YoloLabels.splits(data);
                if (splits.isEmpty()) yield YoloLabels.read(data, null);
                String split = role == Role.TRAIN ? "train" : splits.contains("test") ? "test" : "val";
                if (!splits.contains(split)) {
                    if (role == Role.TRAIN)
                        throw new DataException(data + ": no images/train among the splits " + splits);
                    yield null;
                }
                yield YoloLabels.read(data, split);
            }
            case CHOLEC80 -> {
                Path sub = data.resolve(role == Role.TRAIN ? "train" : "test");
                yield Cholec80Labels.read(hasTestSplit() ? sub : data, cholecLabels, frameEvery);
            }
            case CLIP_CSV -> {
                List<String> splits = ClipCsvLabels.splits(data);
                if (splits.isEmpty()) yield ClipCsvLabels.read(data, labelColumn, null);
                yield ClipCsvLabels.read(
                        data, labelColumn, role == Role.TRAIN ? "train" : splits.contains("test") ? "test" : "val");
            }
            default -> throw new IllegalStateException(format + " is not a label format");
        };
    }

    /** Whether the label set has test (or val) frames of its own, apart from its training frames. */
    private boolean hasTestSplit() throws IOException {
        return switch (format) {
            case YOLO -> !YoloLabels.splits(data).isEmpty();
            case CHOLEC80 -> Files.isDirectory(data.resolve("train")) && Files.isDirectory(data.resolve("test"));
            case CLIP_CSV -> !ClipCsvLabels.splits(data).isEmpty();
            default -> throw new IllegalStateException(format + " is not a label format");
        };
    }

    /** Decoded frames of {@code labels} in the model's class space; notes what the match left out. */
    private ImageSet forModel(FrameLabels labels, Manifest manifest) {
        LabelledFrameDecoder.Decoded d = LabelledFrameDecoder.decode(
                labels.frames(), manifest.input().size(), manifest.input().fitName(), frameEvery);
        ModelLabels.Result r = ModelLabels.forModel(
                labels,
                manifest.input().size(),
                d.pixels(),
                d.frameOf(),
                manifest.classes(),
                ClassMatch.parseAliases(classMap));
        notes.addAll(r.notes());
        return r.set();
    }

    /** Decoded frames of {@code labels} in the data set's own classes, for a new model of {@code task}. */
    private ImageSet forTraining(FrameLabels labels, int inputSize, TaskType task) {
        LabelledFrameDecoder.Decoded d = LabelledFrameDecoder.decode(labels.frames(), inputSize, fit, frameEvery);
        ModelLabels.Result r = ModelLabels.forTraining(labels, inputSize, d.pixels(), d.frameOf(), task);
        notes.addAll(r.notes());
        return r.set();
    }

    /** Training a new model: how label formats' frames are cut to its input (a {@link Manifest.Input} fit name). */
    void fit(String fit) {
        this.fit = fit;
    }

    private String fit = Manifest.Input.CENTRE_SQUARE;

    private ImageSet limit(ImageSet set) {
        return limitPerClass == null ? set : set.limitPerClass(Math.max(1, limitPerClass / 5));
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
        if (limitPerClass != null)
            throw new IllegalArgumentException("--by-difficulty needs the whole test set (no --limit-per-class)");
        if (isClip())
            return ClipFrames.kept(GroundTruth.read(data, test.classes()).column(column), frameEvery);
        Path testDir = data.resolve("test");
        return DifficultyBreakdown.levels(
                testDir.resolve("labels.csv"), ImageFolderLoader.files(testDir, test.classes()), column);
    }

    /** {training set (without held-out images), test set (null when absent), held-out set (null when none)}. */
    ImageSet[] load(int inputSize) throws IOException {
        return load(inputSize, null);
    }

    /**
     * As {@link #load(int)} for a new model of {@code task} (null: {@link #defaultTask()}); a label format gives its
     * training frames and, as the validation set, its test (or val) frames.
     */
    ImageSet[] load(int inputSize, TaskType task) throws IOException {
        if (isClip()) throw new IllegalArgumentException(data + " is a clip: training needs a data set folder");
        TaskType t = task != null ? task : defaultTask();
        if (isLabelFormat()) {
            FrameLabels trainLabels = labels(Role.TRAIN);
            if (t.multiLabel() && !trainLabels.multiLabel()) {
                notes.add(format + " labels one class per " + (format == Format.CLIP_CSV ? "clip" : "frame")
                        + ": as multi-label targets the other classes are unknown, not absent");
            }
            ImageSet train = forTraining(trainLabels, inputSize, t);
            // without a split the "test" frames are the training frames: scoring them would only flatter the model
            boolean split = hasTestSplit();
            if (!split)
                notes.add(data + " has no test or val split: no validation set (--holdout-every N holds frames out)");
            FrameLabels testLabels = split ? labels(Role.TEST) : null;
            ImageSet test = testLabels == null ? null : forTrainingClasses(testLabels, train, inputSize);
            if (limitPerClass != null) {
                train = train.limitPerClass(limitPerClass);
                test = test == null ? null : limit(test);
            }
            return withHeldOut(train, test);
        }
        if (t.multiLabel())
            throw new IllegalArgumentException(
                    "--task MULTI_LABEL needs tool-presence labels (--format YOLO or CHOLEC80)");
        if (frameEvery != 1)
            throw new IllegalArgumentException("--frame-every needs a clip or CLIP_CSV, not a data set folder");
        ImageSet train;
        if (format == Format.FOLDER) {
            Path trainDir = Files.isDirectory(data.resolve("train")) ? data.resolve("train") : data;
            train = ImageFolderLoader.load(trainDir, inputSize);
        } else {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(data)) {
                s.filter(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin"))
                        .sorted()
                        .forEach(files::add);
            }
            if (files.isEmpty()) throw new DataException(data + ": no data_batch_*.bin files");
            train = CifarBinaryLoader.load(files);
        }
        ImageSet test = test(inputSize, train.classes());
        if (limitPerClass != null) train = train.limitPerClass(limitPerClass);
        return withHeldOut(train, test);
    }

    /** {train less its held-out images, test, held-out images (null without --holdout-every)}. */
    private ImageSet[] withHeldOut(ImageSet train, ImageSet test) {
        if (holdoutEvery <= 0) return new ImageSet[] {train, test, null};
        ImageSet[] split = train.holdOutEvery(holdoutEvery);
        return new ImageSet[] {split[0], test, split[1]};
    }

    /** The validation frames in the classes of the training set just loaded (which may have gained "none"). */
    private ImageSet forTrainingClasses(FrameLabels labels, ImageSet train, int inputSize) {
        LabelledFrameDecoder.Decoded d = LabelledFrameDecoder.decode(labels.frames(), inputSize, fit, frameEvery);
        ModelLabels.Result r = ModelLabels.forModel(
                labels, inputSize, d.pixels(), d.frameOf(), train.classes(), ClassMatch.parseAliases(classMap));
        notes.addAll(r.notes());
        ImageSet v = r.set();
        return train.multiLabel()
                ? v
                : v.subset(java.util.stream.IntStream.range(0, v.count())
                                .filter(i -> v.labels()[i] >= 0)
                                .toArray())
                        .withoutTargets();
    }

    String describe(ImageSet train, ImageSet test) {
        return data + " (" + format + ", " + train.count() + " train / " + (test == null ? 0 : test.count()) + " test"
                + (holdoutEvery > 0 ? ", every " + holdoutEvery + "th training image per class held out" : "") + ")";
    }
}
