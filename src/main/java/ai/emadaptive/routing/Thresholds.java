package ai.emadaptive.routing;

import ai.emadaptive.data.ImageSet;
import ai.emadaptive.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multi-label model's decision thresholds, per exit and class: the one that maximises the class's F1 on the images
 * given, which must be new to the network (held-out training images, never the test set). A class calls for its own
 * threshold because rare tools get low probabilities; an exit for its own because early exits are less sharp.
 */
public final class Thresholds {
    /** Thresholds stay inside (0, 1) so a stored one always means something. */
    static final double MIN = 1e-4, MAX = 1 - 1e-4;

    private Thresholds() {}

    /** [exit 0..3][class]; 0.5 for a class with no positive or no negative image to choose from. */
    public static double[][] choose(FeatureCache c) {
        int k = c.classes();
        double[][] t = new double[ModelSpec.STAGES][k];
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            for (int cls = 0; cls < k; cls++) {
                List<double[]> scored = new ArrayList<>();
                for (int i = 0; i < c.count(); i++) {
                    byte y = c.target(i, cls);
                    if (y != ImageSet.UNKNOWN)
                        scored.add(new double[] {Confidence.sigmoid(c.logits()[e - 1][i][cls]), y});
                }
                t[e - 1][cls] = bestF1(scored);
            }
        }
        return t;
    }

    /**
     * The threshold with the best F1 over {score, present} pairs: midway between the lowest score called present and
     * the next lower one, so a frame scored between them on new data goes the way of the nearer side.
     */
    static double bestF1(List<double[]> scored) {
        double[][] s = scored.toArray(new double[0][]);
        Arrays.sort(s, (a, b) -> Double.compare(b[0], a[0]));
        int positives = 0;
        for (double[] p : s) if (p[1] > 0) positives++;
        if (positives == 0 || positives == s.length) return 0.5;
        double best = -1, threshold = 0.5;
        int tp = 0;
        for (int i = 0; i < s.length; ) {
            int j = i;
            while (j < s.length && s[j][0] == s[i][0]) {
                if (s[j][1] > 0) tp++;
                j++;
            }
            // call the first j frames present
            double f1 = 2.0 * tp / (j + positives);
            if (f1 > best) {
                best = f1;
                threshold = j < s.length ? (s[j - 1][0] + s[j][0]) / 2 : s[j - 1][0] / 2;
            }
            i = j;
        }
        return Math.max(MIN, Math.min(MAX, threshold));
    }
}
