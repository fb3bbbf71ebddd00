package ai.emadaptive.routing;

import ai.emadaptive.data.ImageSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a surgical-AI reader expects of tool presence, for one way of choosing each frame's exit: per-tool average
 * precision and their mean (mAP, the Cholec80 tool-presence metric), per-tool F1 at the model's decision rule, and
 * accuracy on the frames with exactly one tool the model knows.
 *
 * <p>Scores are each frame's probabilities at the exit it took: sigmoids for a multi-label model, softmax shares for a
 * single-label one. AP is the area under the precision-recall curve as a step function over distinct scores (tied
 * scores form one step), over the frames whose target for the tool is known; a tool with no positive frame, or no
 * negative one, has no AP and is left out of the mean.
 *
 * @param ap                 per class, NaN without positives or without negatives
 * @param f1                 per class at the model's decision rule (multi-label thresholds; single-label top class),
 *                           NaN when the tool is neither present nor called anywhere
 * @param positives          per class, frames where it is present
 * @param singleToolAccuracy top class right on frames with exactly one tool (NaN when there are none)
 * @param singleToolFrames   how many such frames
 */
public record ToolMetrics(
        List<String> classes,
        double[] ap,
        double map,
        double[] f1,
        int[] positives,
        double singleToolAccuracy,
        int singleToolFrames) {

    /** @param exits per frame, the exit (1..4) its score is read at */
    public static ToolMetrics of(FeatureCache c, int[] exits, List<String> classes) {
        int k = c.classes();
        double[] ap = new double[k], f1 = new double[k];
        int[] positives = new int[k];
        List<Double> defined = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            List<double[]> scored = new ArrayList<>(); // {score, present}
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < c.count(); i++) {
                byte y = truth(c, i, t);
                if (y == ImageSet.UNKNOWN) continue;
                boolean present = y == ImageSet.PRESENT;
                scored.add(new double[] {c.probability(exits[i], i, t), present ? 1 : 0});
                boolean called = c.present(exits[i], i, t);
                if (present) positives[t]++;
                if (called && present) tp++;
                else if (called) fp++;
                else if (present) fn++;
            }
            ap[t] = averagePrecision(scored);
            if (!Double.isNaN(ap[t])) defined.add(ap[t]);
            f1[t] = tp + fp + fn == 0 ? Double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        double map = defined.isEmpty()
                ? Double.NaN
                : defined.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        int single = 0, right = 0;
        for (int i = 0; i < c.count(); i++) {
            if (c.labels()[i] < 0) continue;
            single++;
            if (FeatureCache.argmax(c.logits()[exits[i] - 1][i]) == c.labels()[i]) right++;
        }
        return new ToolMetrics(
                List.copyOf(classes),
                ap,
                map,
                f1,
                positives,
                single == 0 ? Double.NaN : (double) right / single,
                single);
    }

    /** A frame's target for a class: the multi-label target, or for single-label data whether it is the frame's label. */
    private static byte truth(FeatureCache c, int image, int k) {
        if (c.targets() != null) return c.target(image, k);
        int label = c.labels()[image];
        if (label < 0) return ImageSet.UNKNOWN;
        return label == k ? ImageSet.PRESENT : ImageSet.ABSENT;
    }

    /**
     * Non-interpolated average precision of {score, present} pairs: sum over distinct scores, highest first, of
     * (recall gained) x (precision at that score); NaN without positives.
     */
    static double averagePrecision(List<double[]> scored) {
        double[][] s = scored.toArray(new double[0][]);
        Arrays.sort(s, (a, b) -> Double.compare(b[0], a[0]));
        int positives = 0;
        for (double[] p : s) if (p[1] > 0) positives++;
        // without a positive there is nothing to find; without a negative any ranking is perfect (a clip-level label
        // names its tool and leaves the others unknown): neither measures the model
        if (positives == 0 || positives == s.length) return Double.NaN;
        double ap = 0;
        int tp = 0, seen = 0;
        for (int i = 0; i < s.length; ) {
            int j = i, gained = 0;
            while (j < s.length && s[j][0] == s[i][0]) {
                if (s[j][1] > 0) gained++;
                j++;
            }
            tp += gained;
            seen = j;
            ap += (double) gained / positives * tp / seen;
            i = j;
        }
        return ap;
    }
}
