package ai.emadaptive.routing;

import java.util.stream.IntStream;

import ai.emadaptive.data.BatchFiller;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Weights;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every exit's logits and every stage's pooled feature for every image of a set, computed once with the serving
 * engine, so EM, routers, baselines and sweeps never run the backbone again.
 *
 * @param logits   [exit 0..3][image][class]
 * @param features [stage 0..2][image][channel] (stages 1..3, the ones routers read), or null when not cached
 */
public record FeatureCache(float[][][] logits, float[][][] features, int[] labels) {

    public static FeatureCache of(Weights weights, ImageSet set, Normalisation norm, int batch, boolean withFeatures) {
        ModelSpec spec = weights.spec();
        int n = set.count();
        float[][][] logits = new float[ModelSpec.STAGES][n][];
        float[][][] features = withFeatures ? new float[ModelSpec.STAGES - 1][n][] : null;
        ServingEngine engine = new ServingEngine(weights, batch);
        BatchFiller filler = new BatchFiller(set, norm);
        int[] order = IntStream.range(0, n).toArray();
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            engine.input(b).assign(filler.fill(order, from, b, null));
            ServingEngine.Pass pass = engine.start(b);
            for (int e = 0; e < ModelSpec.STAGES; e++) {
                pass.advance();
                INDArray l = pass.head();
                for (int i = 0; i < b; i++) logits[e][from + i] = l.getRow(i).toFloatVector();
                if (features != null && e < ModelSpec.STAGES - 1) {
                    INDArray f = pass.feature();
                    for (int i = 0; i < b; i++) features[e][from + i] = f.getRow(i).toFloatVector();
                }
            }
        }
        return new FeatureCache(logits, features, set.labels().clone());
    }

    public int count() {
        return labels.length;
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    public boolean correct(int exit, int image) {
        return argmax(logits[exit - 1][image]) == labels[image];
    }

    /** Top-1 accuracy of each exit (index 0..3 for exits 1..4). */
    public double[] accuracy() {
        double[] acc = new double[ModelSpec.STAGES];
        for (int e = 0; e < ModelSpec.STAGES; e++) {
            int c = 0;
            for (int i = 0; i < count(); i++) if (correct(e + 1, i)) c++;
            acc[e] = (double) c / count();
        }
        return acc;
    }

    /** log p(y_true | x_i, exit k): the E-step's likelihoods, [image][exit]. */
    public double[][] logLikelihoods() {
        double[][] ll = new double[count()][ModelSpec.STAGES];
        for (int i = 0; i < count(); i++) {
            for (int e = 0; e < ModelSpec.STAGES; e++) ll[i][e] = Confidence.logSoftmax(logits[e][i])[labels[i]];
        }
        return ll;
    }
}
