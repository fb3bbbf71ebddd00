package ai.emadaptive.routing;

import ai.emadaptive.model.ModelSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When a frame is unlike the frames the model knows. At every stage the frame went through, the distance of its
 * pooled feature from the model's in-distribution frames: class-conditional Mahalanobis with a shared covariance (to
 * the nearest group mean, under the within-group covariance shrunk towards its mean variance, per channel), divided
 * by the stage's own quantile of that distance on calibration frames. A frame leaving at exit e is uncertain when the largest
 * of its stages' 1..e scaled distances exceeds exit e's threshold, a quantile of that statistic over held-out
 * in-distribution frames. Every stage a frame ran adds evidence at no extra network cost: shallow features see that
 * the picture is foreign (colour, texture, a blank scope), deep ones that its content is.
 *
 * <p>Why this signal: a softmax (or sigmoid) can be confident on anything, which is how a generated-scene model calls
 * real footage "hook" at 0.999; a feature far from every class's frames is not. On the generated-scene default model
 * (real laparoscopic frames against held-out generated ones), the area under the ROC curve of this distance is 0.997
 * to 0.999 at stages 1-4, with a diagonal covariance 0.73 to 0.99, of one minus the top softmax probability 0.28 at
 * exit 1 and 0.95 at exit 4, of the energy score 0.17 and 0.95.
 *
 * <p>Groups are the classes of a single-label model, and for a multi-label one the tool sets with enough frames.
 * Means and covariances are fitted on a random half of the calibration frames and the thresholds set on the other
 * half, so the thresholds see distances of frames the means did not come from.
 *
 * @param quantile share of held-out in-distribution frames below each exit's threshold
 * @param exits    exits 1..4
 */
public record Uncertainty(
        String signal, double quantile, String fittedOn, List<StageDistance> stages, double[] thresholds) {
    public static final String SIGNAL = "feature-distance";
    /**
     * The default quantile. On the generated-scene default model (calibrated on 1,800 new generated images): 0.995 kept
     * 99.7% of other held-out generated images and 100% of the generated sample clips' frames certain, and 6.8% of real
     * laparoscopic frames under EM routing (1.5% at full depth); 0.99 and 0.975 flagged up to 23% of a sample clip's
     * frames, whose H.264 frames sit further from the calibration images than new images do.
     */
    public static final double DEFAULT_QUANTILE = 0.995;
    /** Tool sets with fewer calibration frames do not get a mean of their own. */
    static final int MIN_GROUP = 8;
    /** The covariance is shrunk by this share of its mean variance, added to every channel's. */
    static final double SHRINKAGE = 0.05;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param whiten C x C row-major, lower triangular: L^-1 of the covariance's Cholesky factor L, so that the
     *               Mahalanobis distance is a Euclidean one after it
     * @param means  per group, the whitened mean pooled feature of the stage
     * @param scale  the stage's quantile of calibration distances: scores are distances in units of it
     */
    public record StageDistance(float[] whiten, List<float[]> means, double scale) {
        public int channels() {
            return means.get(0).length;
        }

        /**
         * Distance of a pooled feature to the nearest group mean, in units of {@link #scale}.
         *
         * @param scratch at least {@link #channels()} floats; nothing is allocated (it runs per frame)
         */
        public double score(float[] feature, float[] scratch) {
            return distance(feature, scratch) / scale;
        }

        double distance(float[] feature, float[] z) {
            int c = channels();
            for (int r = 0; r < c; r++) {
                double v = 0;
                for (int k = 0, o = r * c; k <= r; k++) v += whiten[o + k] * feature[k];
                z[r] = (float) v;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int g = 0, n = means.size(); g < n; g++) {
                float[] mu = means.get(g);
                double s = 0;
                for (int k = 0; k < c; k++) {
                    double d = z[k] - mu[k];
                    s += d * d;
                }
                best = Math.min(best, s);
            }
            return best / c;
        }
    }

    /** The most channels of any stage: the size of the scratch {@link #score} needs. */
    public int maxChannels() {
        return stages.stream().mapToInt(StageDistance::channels).max().orElse(0);
    }

    /** Stage s's (1..4) scaled distance of a pooled feature; {@code scratch} holds {@link #maxChannels()} floats. */
    public double score(int s, float[] feature, float[] scratch) {
        return stages.get(s - 1).score(feature, scratch);
    }

    /** Whether a frame leaving at exit {@code e} is uncertain, from the largest score of its stages 1..e. */
    public boolean uncertain(int e, double maxScore) {
        return maxScore > thresholds[e - 1];
    }

    /**
     * Fits the distances on calibration frames the network did not train on.
     *
     * @param features [stage 0..3][frame][channel], the pooled features of every stage
     * @param groups   per frame, its group (class, or tool set); frames of groups smaller than {@link #MIN_GROUP} only
     *                 count towards the threshold
     */
    public static Uncertainty fit(float[][][] features, int[] groups, double quantile, String fittedOn) {
        int n = groups.length;
        if (n < 2 * MIN_GROUP)
            throw new IllegalArgumentException(
                    "calibrating uncertainty needs at least " + 2 * MIN_GROUP + " frames, not " + n);
        // a seeded coin per frame, not alternate frames: a set ordered class by class, or alternating, splits evenly
        // too
        java.util.Random coin = new java.util.Random(7);
        List<Integer> fitting = new ArrayList<>(), held = new ArrayList<>();
        for (int i = 0; i < n; i++) (coin.nextBoolean() ? fitting : held).add(i);
        return fit(features, groups, fitting, features, held, quantile, fittedOn);
    }

    /**
     * Fits the distances on one set of frames and sets the thresholds on another: e.g. the means and covariance on the
     * network's training frames (many videos) and the thresholds on frames of videos it did not train on, so that a new
     * video of the same kind counts as certain while frames unlike all of them do not.
     *
     * @param fitFeatures  [stage][frame][channel] of the frames the means and covariance come from
     * @param fitGroups    their groups
     * @param heldFeatures [stage][frame][channel] of the frames that set each stage's scale and each exit's threshold
     */
    public static Uncertainty fit(
            float[][][] fitFeatures, int[] fitGroups, float[][][] heldFeatures, double quantile, String fittedOn) {
        int n = fitGroups.length, m = heldFeatures[0].length;
        if (n < MIN_GROUP || m < MIN_GROUP) {
            throw new IllegalArgumentException("calibrating uncertainty needs at least " + MIN_GROUP
                    + " frames to fit and to set thresholds on, not " + n + " and " + m);
        }
        return fit(
                fitFeatures,
                fitGroups,
                java.util.stream.IntStream.range(0, n).boxed().toList(),
                heldFeatures,
                java.util.stream.IntStream.range(0, m).boxed().toList(),
                quantile,
                fittedOn);
    }

    private static Uncertainty fit(
            float[][][] features,
            int[] groups,
            List<Integer> fitting,
            float[][][] heldFeatures,
            List<Integer> held,
            double quantile,
            String fittedOn) {
        if (!(quantile > 0 && quantile < 1))
            throw new IllegalArgumentException("quantile must be in (0, 1), not " + quantile);
        Map<Integer, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i : fitting)
            byGroup.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
        byGroup.values().removeIf(members -> members.size() < MIN_GROUP);
        if (byGroup.isEmpty()) {
            // no group large enough: one mean over every fitting frame
            byGroup.put(0, fitting);
        }
        List<StageDistance> stages = new ArrayList<>();
        double[][] heldScore = new double[ModelSpec.STAGES][];
        for (int s = 0; s < ModelSpec.STAGES; s++) {
            float[][] f = features[s];
            int c = f[0].length;
            List<double[]> means = new ArrayList<>();
            double[][] cov = new double[c][c];
            int counted = 0;
            for (List<Integer> members : byGroup.values()) {
                double[] mu = new double[c];
                for (int i : members) for (int k = 0; k < c; k++) mu[k] += f[i][k];
                for (int k = 0; k < c; k++) mu[k] /= members.size();
                double[] d = new double[c];
                for (int i : members) {
                    for (int k = 0; k < c; k++) d[k] = f[i][k] - mu[k];
                    for (int p = 0; p < c; p++) for (int q = 0; q <= p; q++) cov[p][q] += d[p] * d[q];
                }
                counted += members.size();
                means.add(mu);
            }
            double trace = 0;
            for (int p = 0; p < c; p++) {
                for (int q = 0; q <= p; q++) cov[q][p] = cov[p][q] /= counted;
                trace += cov[p][p];
            }
            // a few hundred frames do not pin down a full covariance: shrink it towards its mean variance
            double shrink = SHRINKAGE * trace / c + 1e-9;
            for (int p = 0; p < c; p++) cov[p][p] += shrink;
            double[][] inverse = invertLower(cholesky(cov));
            float[] whiten = new float[c * c];
            for (int p = 0; p < c; p++) for (int q = 0; q <= p; q++) whiten[p * c + q] = (float) inverse[p][q];
            List<float[]> whitened = new ArrayList<>();
            for (double[] mu : means) {
                float[] m = new float[c];
                for (int p = 0; p < c; p++) {
                    double v = 0;
                    for (int q = 0; q <= p; q++) v += inverse[p][q] * mu[q];
                    m[p] = (float) v;
                }
                whitened.add(m);
            }
            StageDistance unscaled = new StageDistance(whiten, whitened, 1);
            float[] z = new float[c];
            float[][] h = heldFeatures[s];
            double[] d =
                    held.stream().mapToDouble(i -> unscaled.distance(h[i], z)).toArray();
            double scale = quantile(d, quantile);
            StageDistance stage = new StageDistance(whiten, whitened, scale > 0 ? scale : 1);
            stages.add(stage);
            heldScore[s] = held.stream().mapToDouble(i -> stage.score(h[i], z)).toArray();
        }
        double[] thresholds = new double[ModelSpec.STAGES];
        double[] max = new double[held.size()];
        for (int e = 0; e < ModelSpec.STAGES; e++) {
            for (int j = 0; j < max.length; j++) max[j] = Math.max(max[j], heldScore[e][j]);
            thresholds[e] = quantile(max, quantile);
        }
        return new Uncertainty(SIGNAL, quantile, fittedOn, stages, thresholds);
    }

    /** Lower Cholesky factor of a symmetric positive-definite matrix. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                if (i == j) {
                    if (!(s > 0)) throw new IllegalArgumentException("covariance not positive definite");
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** Inverse of a lower triangular matrix (lower triangular too), by forward substitution. */
    static double[][] invertLower(double[][] l) {
        int n = l.length;
        double[][] inv = new double[n][n];
        for (int col = 0; col < n; col++) {
            inv[col][col] = 1 / l[col][col];
            for (int i = col + 1; i < n; i++) {
                double s = 0;
                for (int k = col; k < i; k++) s -= l[i][k] * inv[k][col];
                inv[i][col] = s / l[i][i];
            }
        }
        return inv;
    }

    private static double quantile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[Math.max(0, Math.min(v.length - 1, (int) Math.ceil(q * v.length) - 1))];
    }

    /** Groups for {@link #fit}: a single-label cache's labels, or a multi-label cache's tool sets as bit masks. */
    public static int[] groups(FeatureCache cache) {
        if (!cache.task().multiLabel()) return cache.labels().clone();
        int[] g = new int[cache.count()];
        int c = cache.classes();
        for (int i = 0; i < g.length; i++) {
            int mask = 0;
            for (int k = 0; k < c && k < 30; k++)
                if (cache.target(i, k) == ai.emadaptive.data.ImageSet.PRESENT) mask |= 1 << k;
            g[i] = mask;
        }
        return g;
    }

    /** Per image, whether it is uncertain at the exit it takes. */
    public boolean[] flags(FeatureCache cache, int[] exits) {
        boolean[] u = new boolean[exits.length];
        float[] z = new float[maxChannels()];
        for (int i = 0; i < exits.length; i++) {
            double max = 0;
            for (int s = 1; s <= exits[i]; s++) max = Math.max(max, score(s, cache.features()[s - 1][i], z));
            u[i] = uncertain(exits[i], max);
        }
        return u;
    }

    /**
     * What the flag does to a method's answers on a labelled set.
     *
     * @param coverage        share of frames not flagged
     * @param coveredAccuracy accuracy on the scored frames not flagged (NaN when none)
     * @param confidentWrong  share of the scored frames answered wrong without a flag: what a user would be misled by
     */
    public record Coverage(double coverage, double coveredAccuracy, double confidentWrong) {}

    /** @param exits per image, the exit a method takes */
    public Coverage coverage(FeatureCache cache, int[] exits) {
        boolean[] flag = flags(cache, exits);
        int n = exits.length, certain = 0, scoredCertain = 0, right = 0, wrong = 0, scored = 0;
        for (int i = 0; i < n; i++) {
            if (!flag[i]) certain++;
            if (!cache.scored(i)) continue;
            scored++;
            if (flag[i]) continue;
            scoredCertain++;
            if (cache.correct(exits[i], i)) right++;
            else wrong++;
        }
        return new Coverage(
                n == 0 ? Double.NaN : (double) certain / n,
                scoredCertain == 0 ? Double.NaN : (double) right / scoredCertain,
                scored == 0 ? Double.NaN : (double) wrong / scored);
    }

    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }

    public static Uncertainty fromJson(JsonNode node) {
        try {
            return JSON.treeToValue(node, Uncertainty.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("uncertainty: " + e.getOriginalMessage(), e);
        }
    }
}
