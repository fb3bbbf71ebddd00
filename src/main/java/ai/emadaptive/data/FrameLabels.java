package ai.emadaptive.data;

import java.util.List;
import java.util.Locale;

/**
 * Frames with their per-class labels in the data set's own class space, as a label format gives them; matching to a
 * model's classes ({@link ClassMatch}) and decoding come after, so parsers stay free of both.
 *
 * @param multiLabel whether the source labels any set of classes per frame (YOLO boxes, Cholec80 tools) rather than
 *                   one class per frame or clip (class folders, Cholec80 phases, clip CSV)
 */
public record FrameLabels(List<String> classes, List<LabelledFrame> frames, boolean multiLabel) {
    public FrameLabels {
        classes = List.copyOf(classes);
        frames = List.copyOf(frames);
        for (LabelledFrame f : frames) {
            if (f.targets().length != classes.size()) {
                throw new IllegalArgumentException(
                        f.source() + ": " + f.targets().length + " targets for " + classes.size() + " classes");
            }
        }
    }

    /** Per class, the frames where it is PRESENT. */
    public int[] presentCounts() {
        int[] n = new int[classes.size()];
        for (LabelledFrame f : frames) {
            for (int k = 0; k < n.length; k++) if (f.targets()[k] == ImageSet.PRESENT) n[k]++;
        }
        return n;
    }

    /** Frames with no class PRESENT (for tools: no tool in view). */
    public int noneCount() {
        int n = 0;
        for (LabelledFrame f : frames) {
            boolean any = false;
            for (byte t : f.targets()) any |= t == ImageSet.PRESENT;
            if (!any) n++;
        }
        return n;
    }

    /** One line for logs, e.g. {@code 412 frames, grasper 300, hook 180, no tool 20} ("no tool" for multi-label sets). */
    public String describe() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d frames", frames.size()));
        int[] n = presentCounts();
        for (int k = 0; k < n.length; k++)
            s.append(", ").append(classes.get(k)).append(' ').append(n[k]);
        if (multiLabel) s.append(", no tool ").append(noneCount());
        return s.toString();
    }
}
