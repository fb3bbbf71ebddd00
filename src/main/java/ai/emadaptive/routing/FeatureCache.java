package ai.emadaptive.routing;

import ai.emadaptive.data.BatchFiller;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.model.Weights;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every exit's logits and every stage's pooled feature for every image of a set, computed once with the serving
 * engine, so EM, routers, baselines and sweeps never run the backbone again.
 *
 * <p>What "right" means follows the model's task. Single-label: the top class is the image's label (images without
 * one, {@link ImageSet#NO_LABEL}, are not scored). Multi-label: every class whose target is known is decided right
 * at the exit's threshold for it (the exact tool set); images with no known target are not scored.
 *
 * @param logits     [exit 0..3][image][class]
 * @param features   [stage 0..3][image][channel] (routers read stages 1..3, the uncertainty of a frame leaving at
 *                   exit 4 stage 4), or null when not cached
 * @param targets    multi-label targets as in {@link ImageSet#targets()} (null for single-label data)
 * @param thresholds multi-label only: [exit 0..3][class] decision thresholds
 */
public record FeatureCache(
        float[][][] logits, float[][][] features, int[] labels, TaskType task, byte[] targets, double[][] thresholds) {

    public FeatureCache {
        if (task == null) task = TaskType.SINGLE_LABEL;
        if (task.multiLabel() && targets == null)
            throw new IllegalArgumentException("a multi-label cache needs targets");
        if (task.multiLabel() && thresholds == null)
            thresholds = defaultThresholds(logits[0].length == 0 ? 0 : logits[0][0].length);
    }

    /** A single-label cache. */
    public FeatureCache(float[][][] logits, float[][][] features, int[] labels) {
        this(logits, features, labels, TaskType.SINGLE_LABEL, null, null);
    }

    /** 0.5 for every exit and class: a sigmoid's even odds, before thresholds are chosen on held-out images. */
    public static double[][] defaultThresholds(int classes) {
        double[][] t = new double[ModelSpec.STAGES][classes];
        for (double[] row : t) Arrays.fill(row, 0.5);
        return t;
    }

    /** A cache of a single-label model, or of a multi-label one at even-odds thresholds when the set is multi-label. */
    public static FeatureCache of(Weights weights, ImageSet set, Normalisation norm, int batch, boolean withFeatures) {
        return of(
                weights,
                set,
                norm,
                batch,
                withFeatures,
                set.multiLabel() ? TaskType.MULTI_LABEL : TaskType.SINGLE_LABEL,
                null);
    }

    /** @param thresholds the model's (multi-label), or null for even odds */
    public static FeatureCache of(
            Weights weights,
            ImageSet set,
            Normalisation norm,
            int batch,
            boolean withFeatures,
            TaskType task,
            double[][] thresholds) {
        if (task.multiLabel() && !set.multiLabel()) {
            throw new IllegalArgumentException(
                    "a multi-label model needs multi-label data (tool presence per image), not class folders");
        }
        ModelSpec spec = weights.spec();
        int n = set.count();
        float[][][] logits = new float[ModelSpec.STAGES][n][];
        float[][][] features = withFeatures ? new float[ModelSpec.STAGES][n][] : null;
        try (ServingEngine engine = new ServingEngine(weights, batch)) {
            BatchFiller filler = new BatchFiller(set, norm);
            int[] order = IntStream.range(0, n).toArray();
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                engine.input(b).assign(filler.fill(order, from, b, null));
                ServingEngine.Pass pass = engine.start(b);
                for (int e = 0; e < ModelSpec.STAGES; e++) {
                    pass.advance();
                    INDArray l = pass.head();
                    for (int i = 0; i < b; i++)
                        logits[e][from + i] = l.getRow(i).toFloatVector();
                    if (features != null) {
                        INDArray f = pass.feature();
                        for (int i = 0; i < b; i++)
                            features[e][from + i] = f.getRow(i).toFloatVector();
                    }
                }
            }
        }
        byte[] targets = set.targets() == null ? null : set.targets().clone();
        return new FeatureCache(
                logits,
                features,
                set.labels().clone(),
                task,
                targets,
                task.multiLabel() ? (thresholds != null ? thresholds : defaultThresholds(spec.numClasses())) : null);
    }

    /** The same cache deciding at other thresholds (multi-label). */
    public FeatureCache withThresholds(double[][] t) {
        return new FeatureCache(logits, features, labels, task, targets, t);
    }

    public int count() {
        return labels.length;
    }

    public int classes() {
        return logits[0].length == 0 ? 0 : logits[0][0].length;
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /** Image i's target for class k (multi-label data): PRESENT, ABSENT or UNKNOWN. */
    public byte target(int image, int k) {
        return targets[image * classes() + k];
    }

    /** Whether image i counts towards accuracy (see the class comment). */
    public boolean scored(int image) {
        if (!task.multiLabel()) return labels[image] >= 0;
        int c = classes();
        for (int k = 0; k < c; k++) if (targets[image * c + k] != ImageSet.UNKNOWN) return true;
        return false;
    }

    /** Probability of class k at this exit: its sigmoid (multi-label) or its softmax share (single-label). */
    public double probability(int exit, int image, int k) {
        float[] z = logits[exit - 1][image];
        if (task.multiLabel()) return Confidence.sigmoid(z[k]);
        return Math.exp(z[k] - Confidence.logSumExp(z));
    }

    /** Whether exit {@code exit} calls class k present on image i (multi-label: at its threshold; else the top class). */
    public boolean present(int exit, int image, int k) {
        if (task.multiLabel()) return probability(exit, image, k) >= thresholds[exit - 1][k];
        return argmax(logits[exit - 1][image]) == k;
    }

    public boolean correct(int exit, int image) {
        if (!task.multiLabel()) return argmax(logits[exit - 1][image]) == labels[image];
        int c = classes();
        for (int k = 0; k < c; k++) {
            byte t = targets[image * c + k];
            if (t != ImageSet.UNKNOWN && present(exit, image, k) != (t == ImageSet.PRESENT)) return false;
        }
        return true;
    }

    /** Images that count towards accuracy. */
    public int scoredCount() {
        int n = 0;
        for (int i = 0; i < count(); i++) if (scored(i)) n++;
        return n;
    }

    /** Accuracy of each exit (index 0..3 for exits 1..4) on the scored images: top-1, or exact tool set. */
    public double[] accuracy() {
        double[] acc = new double[ModelSpec.STAGES];
        int scored = scoredCount();
        for (int e = 0; e < ModelSpec.STAGES; e++) {
            int c = 0;
            for (int i = 0; i < count(); i++) if (scored(i) && correct(e + 1, i)) c++;
            acc[e] = scored == 0 ? Double.NaN : (double) c / scored;
        }
        return acc;
    }

    /**
     * The E-step's likelihoods, [image][exit]: log p(y_true | x_i, exit k). Single-label: the label's log-softmax.
     * Multi-label: the log-likelihood of the image's label vector under the exit's independent per-class Bernoullis,
     * sum over known classes of log sigmoid(z) where present and log sigmoid(-z) where absent. An image without a known
     * label gives every exit the same likelihood, 0: only cost and prior place it.
     */
    public double[][] logLikelihoods() {
        double[][] ll = new double[count()][ModelSpec.STAGES];
        int c = classes();
        for (int i = 0; i < count(); i++) {
            for (int e = 0; e < ModelSpec.STAGES; e++) {
                float[] z = logits[e][i];
                if (!task.multiLabel()) {
                    ll[i][e] = labels[i] < 0 ? 0 : Confidence.logSoftmax(z)[labels[i]];
                    continue;
                }
                double s = 0;
                for (int k = 0; k < c; k++) {
                    byte t = targets[i * c + k];
                    if (t == ImageSet.PRESENT) s += Confidence.logSigmoid(z[k]);
                    else if (t == ImageSet.ABSENT) s += Confidence.logSigmoid(-z[k]);
                }
                ll[i][e] = s;
            }
        }
        return ll;
    }
}
