package ai.emadaptive.artifact;

import ai.emadaptive.model.Flops;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.ParamLayout;
import ai.emadaptive.model.Stem;
import ai.emadaptive.model.TaskType;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything about a model except its weights: what network it is, how to feed it, what its classes are, what each
 * exit costs, its routers and where it came from. Stored as {@code manifest.json} in the artifact (see
 * {@link ManifestJson}); field names are the JSON keys.
 *
 * @param exits            exits 1..4 in order, FLOPs counted with the routers consulted on the way
 * @param fullNetworkFlops the plain network without early exits; exit costs are normalised by it
 * @param routers          opaque router description, null when the model has none (filled in by the router work)
 * @param tensors          every tensor of weights.bin in {@link ParamLayout} order, so tools can report sizes
 *                         without reading the weights
 * @param weightPrecision  how weights.bin stores them (absent in older manifests: float32); rewriting an artifact,
 *                         e.g. with new routers, keeps it
 * @param task             what the exits predict (absent in older manifests: single-label)
 * @param thresholds       multi-label only: per exit 1..4, per class, the probability at which the class counts as
 *                         present, chosen on held-out images (null for single-label)
 * @param uncertainty      opaque description of when a frame is unlike the model's in-distribution frames (see
 *                         {@code routing.Uncertainty}), null when not calibrated
 */
public record Manifest(
        String format,
        int formatVersion,
        Architecture architecture,
        Input input,
        List<String> classes,
        List<ExitCost> exits,
        long fullNetworkFlops,
        JsonNode routers,
        Provenance provenance,
        List<TensorInfo> tensors,
        WeightPrecision weightPrecision,
        TaskType task,
        List<List<Double>> thresholds,
        JsonNode uncertainty) {

    public static final String FORMAT = "em-adaptive-model";
    /**
     * The newest version this build reads. Bump when a reader of the previous version could misread the new one;
     * adding optional fields needs no bump. Version 2 is written only for multi-label models (a version-1 reader would
     * take their sigmoid exits for a softmax); single-label models are still written as version 1.
     */
    public static final int FORMAT_VERSION = 2;
    /** The version a multi-label manifest is written as. */
    public static final int MULTI_LABEL_VERSION = 2;

    public Manifest {
        // Jackson turns "routers": null into a NullNode; keep a single spelling of "no routers".
        if (routers != null && (routers.isNull() || routers.isMissingNode())) routers = null;
        if (uncertainty != null && (uncertainty.isNull() || uncertainty.isMissingNode())) uncertainty = null;
        if (weightPrecision == null) weightPrecision = WeightPrecision.FLOAT32;
        if (task == null) task = TaskType.SINGLE_LABEL;
        if (thresholds != null)
            thresholds = thresholds.stream().map(List::copyOf).toList();
    }

    /** The thresholds as [exit 0..3][class], or null for a single-label model. */
    public double[][] thresholdArray() {
        if (thresholds == null) return null;
        double[][] t = new double[thresholds.size()][];
        for (int e = 0; e < t.length; e++)
            t[e] = thresholds.get(e).stream().mapToDouble(Double::doubleValue).toArray();
        return t;
    }

    /** The network: a multi-exit ResNet-18 described by the fields of {@link ModelSpec}. */
    public record Architecture(
            String type,
            int width,
            int inputSize,
            int inChannels,
            Stem stem,
            HeadType headType,
            int numClasses,
            List<Integer> blocksPerStage) {
        public static final String TYPE = "multi-exit-resnet18";

        public static Architecture of(ModelSpec spec) {
            return new Architecture(
                    TYPE,
                    spec.width(),
                    spec.inputSize(),
                    spec.inChannels(),
                    spec.stem(),
                    spec.headType(),
                    spec.numClasses(),
                    Collections.nCopies(ModelSpec.STAGES, ModelSpec.BLOCKS_PER_STAGE));
        }

        /** @throws IllegalArgumentException if the numbers do not make a valid network */
        public ModelSpec toSpec() {
            return new ModelSpec(width, inputSize, inChannels, stem, numClasses, headType);
        }
    }

    /**
     * How a frame becomes network input: the frame's centred square ({@code fit} null or {@link #CENTRE_SQUARE}), the
     * whole frame squeezed to a square ({@link #WHOLE_FRAME}: nothing at the edges is cut, at the price of the aspect
     * ratio) or the whole frame with its aspect ratio between black bars ({@link #LETTERBOX}), resized to {@code size} x
     * {@code size}, pixels scaled to [0, 1], then {@code (x - mean[c]) / std[c]} per
     * channel, laid out NHWC with channels in {@code channelOrder}.
     */
    public record Input(int size, String channelOrder, String layout, float[] mean, float[] std, String fit) {
        public static final String RGB = "RGB";
        public static final String NHWC = "NHWC";
        /** The scope's round field of view sits in the middle of a wide frame: its square. */
        public static final String CENTRE_SQUARE = "centre-square";
        /** Instruments enter from the frame's edges: keep all of it. */
        public static final String WHOLE_FRAME = "whole-frame";
        /** All of the frame at its own aspect ratio: instruments at the edges in view, their shape kept. */
        public static final String LETTERBOX = "letterbox";

        public Input {
            mean = mean == null ? null : mean.clone();
            std = std == null ? null : std.clone();
        }

        public static Input rgbNhwc(int size, float[] mean, float[] std) {
            return new Input(size, RGB, NHWC, mean, std, null);
        }

        /** The same input with another fit ({@link #CENTRE_SQUARE}, {@link #WHOLE_FRAME} or {@link #LETTERBOX}). */
        public Input withFit(String fit) {
            return new Input(size, channelOrder, layout, mean, std, CENTRE_SQUARE.equals(fit) ? null : fit);
        }

        /** Whether the whole frame is squeezed to the input rather than its centred square cut. */
        public boolean wholeFrame() {
            return WHOLE_FRAME.equals(fit);
        }

        /** Whether the whole frame is scaled into the input at its own aspect ratio, black bars around it. */
        public boolean letterbox() {
            return LETTERBOX.equals(fit);
        }

        /** The fit's name, {@link #CENTRE_SQUARE} when none is given. */
        public String fitName() {
            return fit == null ? CENTRE_SQUARE : fit;
        }

        @Override
        public float[] mean() {
            return mean == null ? null : mean.clone();
        }

        @Override
        public float[] std() {
            return std == null ? null : std.clone();
        }

        // Records compare arrays by identity; a manifest read back must equal the one written.
        @Override
        public boolean equals(Object o) {
            return o instanceof Input i
                    && size == i.size
                    && Objects.equals(channelOrder, i.channelOrder)
                    && Objects.equals(layout, i.layout)
                    && Arrays.equals(mean, i.mean)
                    && Arrays.equals(std, i.std)
                    && fitName().equals(i.fitName());
        }

        @Override
        public int hashCode() {
            return Objects.hash(size, channelOrder, layout, Arrays.hashCode(mean), Arrays.hashCode(std), fitName());
        }

        @Override
        public String toString() {
            return "Input[size=" + size + ", channelOrder=" + channelOrder + ", layout=" + layout + ", mean="
                    + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + (fit == null ? "" : ", " + fit)
                    + "]";
        }
    }

    /**
     * What leaving at one exit costs.
     *
     * @param flops          {@link Flops#exitPath}: stem, stages and heads 1..exit and the routers consulted
     * @param normalisedCost flops / fullNetworkFlops
     * @param nominalCost    the exit's share of the backbone by depth: 0.25, 0.5, 0.75, 1.0
     */
    public record ExitCost(int exit, long flops, double normalisedCost, double nominalCost) {}

    /**
     * Where the model came from.
     *
     * @param date    ISO-8601, e.g. {@code Instant.now().toString()}
     * @param metrics e.g. per-exit validation accuracy; never null
     */
    public record Provenance(String data, String command, String date, Map<String, Double> metrics) {
        public Provenance {
            metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** Provenance dated now (UTC). */
        public static Provenance now(String data, String command, Map<String, Double> metrics) {
            return new Provenance(data, command, Instant.now().toString(), metrics);
        }
    }

    /** Name and shape of one tensor of weights.bin. */
    public record TensorInfo(String name, long[] shape) {
        public TensorInfo {
            shape = shape == null ? null : shape.clone();
        }

        @Override
        public long[] shape() {
            return shape == null ? null : shape.clone();
        }

        public long size() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorInfo t && Objects.equals(name, t.name) && Arrays.equals(shape, t.shape);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(name) + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /** A manifest for {@code spec} with no router FLOPs (none trained yet, or routers that cost nothing). */
    public static Manifest of(
            ModelSpec spec, List<String> classes, float[] mean, float[] std, JsonNode routers, Provenance provenance) {
        return of(spec, classes, mean, std, routers, new long[0], provenance);
    }

    /**
     * A manifest for {@code spec}, exit costs and tensor list computed from the architecture.
     *
     * @param routerFlops FLOPs of the router at exits 1..3 (index 0..2), as for {@link Flops#Flops(ModelSpec, long[])}
     */
    public static Manifest of(
            ModelSpec spec,
            List<String> classes,
            float[] mean,
            float[] std,
            JsonNode routers,
            long[] routerFlops,
            Provenance provenance) {
        Flops flops = new Flops(spec, routerFlops);
        long full = flops.fullNetwork();
        List<ExitCost> exits = new ArrayList<>();
        for (int k : spec.exits()) {
            long f = flops.exitPath(k);
            exits.add(new ExitCost(k, f, (double) f / full, (double) k / ModelSpec.STAGES));
        }
        List<TensorInfo> tensors = new ArrayList<>();
        for (ParamLayout.Param p : new ParamLayout(spec).all()) tensors.add(new TensorInfo(p.name(), p.shape()));
        return new Manifest(
                FORMAT,
                1,
                Architecture.of(spec),
                Input.rgbNhwc(spec.inputSize(), mean, std),
                List.copyOf(classes),
                List.copyOf(exits),
                full,
                routers,
                provenance,
                List.copyOf(tensors),
                WeightPrecision.FLOAT32,
                TaskType.SINGLE_LABEL,
                null,
                null);
    }

    /**
     * Same manifest for another task: a multi-label one with its per-exit, per-class thresholds (written as format
     * version {@link #MULTI_LABEL_VERSION}), or single-label (thresholds null).
     */
    public Manifest withTask(TaskType task, double[][] thresholds) {
        List<List<Double>> t = null;
        if (thresholds != null) {
            t = new ArrayList<>();
            for (double[] row : thresholds) t.add(Arrays.stream(row).boxed().toList());
        }
        return new Manifest(
                format,
                task.multiLabel() ? MULTI_LABEL_VERSION : 1,
                architecture,
                input,
                classes,
                exits,
                fullNetworkFlops,
                routers,
                provenance,
                tensors,
                weightPrecision,
                task,
                t,
                uncertainty);
    }

    /** The network this manifest describes. */
    public ModelSpec spec() {
        return architecture.toSpec();
    }

    /** Same manifest with other routers, e.g. after router training; exit costs are recomputed. */
    public Manifest withRouters(JsonNode routers, long[] routerFlops) {
        return of(spec(), classes, input.mean(), input.std(), routers, routerFlops, provenance)
                .withWeightPrecision(weightPrecision)
                .withTask(task, thresholdArray())
                .withUncertainty(uncertainty)
                .withInputFit(input.fit());
    }

    /**
     * Same manifest with the frame cut to the input another way ({@link Input#CENTRE_SQUARE}, {@link Input#WHOLE_FRAME},
     * {@link Input#LETTERBOX}).
     */
    public Manifest withInputFit(String fit) {
        return new Manifest(
                format,
                formatVersion,
                architecture,
                input.withFit(fit),
                classes,
                exits,
                fullNetworkFlops,
                routers,
                provenance,
                tensors,
                weightPrecision,
                task,
                thresholds,
                uncertainty);
    }

    /** Same manifest, its weights to be stored at {@code precision}. */
    public Manifest withWeightPrecision(WeightPrecision precision) {
        return new Manifest(
                format,
                formatVersion,
                architecture,
                input,
                classes,
                exits,
                fullNetworkFlops,
                routers,
                provenance,
                tensors,
                precision,
                task,
                thresholds,
                uncertainty);
    }

    /** Same manifest with another uncertainty calibration (null: none). */
    public Manifest withUncertainty(JsonNode calibration) {
        return new Manifest(
                format,
                formatVersion,
                architecture,
                input,
                classes,
                exits,
                fullNetworkFlops,
                routers,
                provenance,
                tensors,
                weightPrecision,
                task,
                thresholds,
                calibration);
    }

    /**
     * Checks every invariant a reader relies on; the writer calls it too, so an artifact that is written can be read.
     *
     * @throws ArtifactException naming the first problem found
     */
    public void validate() {
        if (!FORMAT.equals(format)) throw bad("manifest format is \"" + format + "\", expected \"" + FORMAT + "\"");
        if (formatVersion > FORMAT_VERSION) throw newerVersion(formatVersion);
        if (formatVersion < 1) throw bad("manifest formatVersion " + formatVersion + " is not a valid version");

        if (architecture == null) throw bad("manifest has no architecture");
        if (!Architecture.TYPE.equals(architecture.type)) {
            throw bad("manifest architecture type \"" + architecture.type + "\" is not supported (expected \""
                    + Architecture.TYPE + "\")");
        }
        if (!Collections.nCopies(ModelSpec.STAGES, ModelSpec.BLOCKS_PER_STAGE).equals(architecture.blocksPerStage)) {
            throw bad("manifest architecture blocksPerStage " + architecture.blocksPerStage
                    + " is not supported (expected [2, 2, 2, 2])");
        }
        ModelSpec spec;
        try {
            spec = architecture.toSpec();
        } catch (IllegalArgumentException e) {
            throw bad("manifest architecture is invalid: " + e.getMessage());
        }

        if (input == null) throw bad("manifest has no input");
        if (input.size != spec.inputSize()) {
            throw bad("manifest input size " + input.size + " differs from the architecture's " + spec.inputSize());
        }
        if (!Input.RGB.equals(input.channelOrder))
            throw bad("manifest input channelOrder \"" + input.channelOrder + "\" is not supported (RGB)");
        if (!Input.NHWC.equals(input.layout))
            throw bad("manifest input layout \"" + input.layout + "\" is not supported (NHWC)");
        if (!List.of(Input.CENTRE_SQUARE, Input.WHOLE_FRAME, Input.LETTERBOX).contains(input.fitName())) {
            throw bad("manifest input fit \"" + input.fit + "\" is not supported (" + Input.CENTRE_SQUARE + ", "
                    + Input.WHOLE_FRAME + " or " + Input.LETTERBOX + ")");
        }
        checkChannels("mean", input.mean, spec.inChannels(), false);
        checkChannels("std", input.std, spec.inChannels(), true);

        if (classes == null || classes.size() != spec.numClasses()) {
            throw bad("manifest lists " + (classes == null ? 0 : classes.size()) + " classes but the architecture has "
                    + spec.numClasses());
        }
        Set<String> seen = new HashSet<>();
        for (String c : classes) {
            if (c == null || c.isBlank()) throw bad("manifest has a blank class name");
            if (!seen.add(c)) throw bad("manifest lists class \"" + c + "\" twice");
        }

        if (exits == null || exits.size() != spec.exits().size()) throw bad("manifest must list exits " + spec.exits());
        for (int i = 0; i < exits.size(); i++) {
            ExitCost e = exits.get(i);
            if (e == null || e.exit != spec.exits().get(i))
                throw bad("manifest must list exits " + spec.exits() + " in order");
            if (e.flops <= 0 || !Double.isFinite(e.normalisedCost) || !Double.isFinite(e.nominalCost)) {
                throw bad("manifest exit " + e.exit + " has invalid costs");
            }
        }
        if (fullNetworkFlops <= 0) throw bad("manifest fullNetworkFlops must be positive");
        if (provenance == null) throw bad("manifest has no provenance");
        checkThresholds(spec);

        checkTensors(spec);
    }

    private void checkTensors(ModelSpec spec) {
        if (tensors == null) throw bad("manifest has no tensor list");
        List<ParamLayout.Param> need = new ParamLayout(spec).all();
        for (int i = 0; i < Math.max(need.size(), tensors.size()); i++) {
            if (i >= tensors.size())
                throw bad("manifest tensor list lacks " + need.get(i).name());
            TensorInfo t = tensors.get(i);
            if (t == null) throw bad("manifest tensor list has an empty entry");
            if (i >= need.size())
                throw bad("manifest lists tensor " + t.name + " which the architecture does not have");
            ParamLayout.Param p = need.get(i);
            if (!p.name().equals(t.name))
                throw bad("manifest lists tensor " + t.name + " where the architecture has " + p.name());
            if (!Arrays.equals(p.shape(), t.shape)) {
                throw bad("manifest lists tensor " + t.name + " with shape " + Arrays.toString(t.shape)
                        + " but the architecture needs " + Arrays.toString(p.shape()));
            }
        }
    }

    private void checkThresholds(ModelSpec spec) {
        if (!task.multiLabel()) {
            if (thresholds != null) throw bad("manifest has thresholds but its task is " + task);
            return;
        }
        if (formatVersion < MULTI_LABEL_VERSION)
            throw bad("a multi-label manifest needs formatVersion " + MULTI_LABEL_VERSION);
        if (thresholds == null || thresholds.size() != ModelSpec.STAGES) {
            throw bad("a multi-label manifest needs thresholds for exits 1-" + ModelSpec.STAGES);
        }
        for (int e = 0; e < thresholds.size(); e++) {
            List<Double> row = thresholds.get(e);
            if (row == null || row.size() != spec.numClasses()) {
                throw bad("manifest thresholds of exit " + (e + 1) + " must have " + spec.numClasses() + " values");
            }
            for (Double v : row) {
                if (v == null || !(v > 0 && v < 1))
                    throw bad("manifest threshold " + v + " of exit " + (e + 1) + " is not in (0, 1)");
            }
        }
    }

    private static void checkChannels(String what, float[] v, int channels, boolean positive) {
        if (v == null || v.length != channels) {
            throw bad(
                    "manifest input " + what + " must have " + channels + " values, has " + (v == null ? 0 : v.length));
        }
        for (float x : v) {
            if (!Float.isFinite(x) || (positive && x <= 0))
                throw bad("manifest input " + what + " " + Arrays.toString(v) + " is invalid");
        }
    }

    static ArtifactException newerVersion(int version) {
        return bad("manifest formatVersion " + version + " is newer than this build supports (" + FORMAT_VERSION
                + "); use a newer em-adaptive to read it");
    }

    private static ArtifactException bad(String problem) {
        return new ArtifactException(problem);
    }
}
