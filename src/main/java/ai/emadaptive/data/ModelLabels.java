package ai.emadaptive.data;

import ai.emadaptive.model.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decoded frames with their labels in a model's class space: the step between a label format's {@link FrameLabels}
 * and an {@link ImageSet} that trains or scores a model.
 *
 * <p>Each image gets the model-space targets of its frame (multi-label) and a single label where its frame has one:
 * exactly one tool present (a clip-level label counts, whatever else is unknown), or no tool at all for a model with
 * a "none" class. Frames with a tool the model does not know keep their other tools' targets and are counted, so a
 * caller can report them.
 */
public final class ModelLabels {
    /** Names a single-label model may use for "no tool in view". */
    static final Set<String> NONE_NAMES = Set.of("none", "no_tool", "background", "nothing");
    /** The class a single-label model trained on tool presence gets for frames without a tool. */
    public static final String NONE = "none";

    private ModelLabels() {}

    /**
     * @param set      the images in model space
     * @param unknown  data classes the model does not know, with the frames they are present in
     * @param skipped  training only: images left out because they have no single label (single-label training on
     *                 multi-label data: frames with several tools)
     */
    public record Result(ImageSet set, Map<String, Integer> unknown, List<String> unlabelled, int skipped) {
        /** Lines a command prints about what the match left out, empty when nothing was. */
        public List<String> notes() {
            List<String> out = new ArrayList<>();
            List<String> absent = new ArrayList<>();
            unknown.forEach((c, n) -> {
                if (n == 0) absent.add(c);
                else
                    out.add(
                            "the model does not know '" + c + "', present in " + n
                                    + " frames: it has no metrics, and its"
                                    + " frames are left out of single-tool accuracy (--class-map data=model if the model knows it by another name)");
            });
            if (!absent.isEmpty()) out.add("the model does not know " + absent + " either (present in no frame)");
            if (!unlabelled.isEmpty()) out.add("the data set does not label " + unlabelled + ": no metrics for them");
            if (skipped > 0)
                out.add(skipped + " frames with more than one tool (or unknown ones) left out: a single-label model"
                        + " learns one class per frame");
            return out;
        }
    }

    /**
     * For scoring a trained model ({@code evaluate}, {@code sweep}, {@code routers}): its classes, matched by name.
     *
     * @param frameOf per image, its frame in {@code labels}
     */
    public static Result forModel(
            FrameLabels labels,
            int size,
            byte[] pixels,
            int[] frameOf,
            List<String> modelClasses,
            Map<String, String> aliases) {
        ClassMatch match = ClassMatch.of(modelClasses, labels.classes(), aliases);
        int none = noneClass(modelClasses);
        int c = modelClasses.size(), n = frameOf.length;
        byte[] targets = new byte[n * c];
        int[] single = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] row = labels.frames().get(frameOf[i]).targets();
            System.arraycopy(match.toModel(row), 0, targets, i * c, c);
            int one = singlePresent(row);
            single[i] = one >= 0 ? match.modelIndex(one) : one == NOTHING ? none : ImageSet.NO_LABEL;
        }
        Map<String, Integer> unknown = new LinkedHashMap<>();
        int[] present =
                new int[labels.classes().size()]; // per decoded image: a clip-level label counts every frame kept
        for (int f : frameOf) {
            byte[] row = labels.frames().get(f).targets();
            for (int d = 0; d < row.length; d++) if (row[d] == ImageSet.PRESENT) present[d]++;
        }
        for (int d = 0; d < labels.classes().size(); d++) {
            if (match.modelIndex(d) < 0) unknown.put(labels.classes().get(d), present[d]);
        }
        return new Result(new ImageSet(modelClasses, size, pixels, single, targets), unknown, match.unlabelled(), 0);
    }

    /**
     * For training a new model on the data set's own classes. Multi-label: every image with its targets. Single-label:
     * images with one label; frames without a tool become class {@link #NONE} (added when there are any); the rest
     * are skipped and counted.
     */
    public static Result forTraining(FrameLabels labels, int size, byte[] pixels, int[] frameOf, TaskType task) {
        int n = frameOf.length, c = labels.classes().size();
        if (task.multiLabel()) {
            byte[] targets = new byte[n * c];
            int[] single = new int[n];
            for (int i = 0; i < n; i++) {
                byte[] row = labels.frames().get(frameOf[i]).targets();
                System.arraycopy(row, 0, targets, i * c, c);
                int one = singlePresent(row);
                single[i] = one >= 0 ? one : ImageSet.NO_LABEL;
            }
            return new Result(new ImageSet(labels.classes(), size, pixels, single, targets), Map.of(), List.of(), 0);
        }
        List<String> classes = new ArrayList<>(labels.classes());
        int[] single = new int[n];
        boolean anyNone = false;
        for (int i = 0; i < n; i++) {
            single[i] = singlePresent(labels.frames().get(frameOf[i]).targets());
            anyNone |= single[i] == NOTHING;
        }
        int none = -1;
        if (anyNone) {
            none = noneClass(classes);
            if (none < 0) {
                classes.add(NONE);
                none = classes.size() - 1;
            }
        }
        int b = size * size * 3;
        int kept = 0;
        for (int l : single) if (l >= 0 || l == NOTHING) kept++;
        byte[] px = ImageSet.pixelStorage(kept, size, "the training frames", "use fewer frames");
        int[] out = new int[kept];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (single[i] < 0 && single[i] != NOTHING) continue;
            System.arraycopy(pixels, i * b, px, k * b, b);
            out[k++] = single[i] == NOTHING ? none : single[i];
        }
        return new Result(new ImageSet(List.copyOf(classes), size, px, out), Map.of(), List.of(), n - kept);
    }

    /** {@link #singlePresent}: no class present and none unknown. */
    static final int NOTHING = -2;

    private static final int SEVERAL = -1;

    /** The one present class of a row, {@link #NOTHING} when all are absent, else -1 (several, or none present but some unknown). */
    static int singlePresent(byte[] row) {
        int one = -1, present = 0;
        boolean unknown = false;
        for (int k = 0; k < row.length; k++) {
            if (row[k] == ImageSet.PRESENT) {
                present++;
                one = k;
            } else if (row[k] == ImageSet.UNKNOWN) {
                unknown = true;
            }
        }
        if (present == 1) return one;
        return present == 0 && !unknown ? NOTHING : SEVERAL;
    }

    /** The model's class for "no tool", or NO_LABEL when it has none. */
    static int noneClass(List<String> classes) {
        for (int k = 0; k < classes.size(); k++)
            if (NONE_NAMES.contains(ClassMatch.normalise(classes.get(k)))) return k;
        return ImageSet.NO_LABEL;
    }
}
