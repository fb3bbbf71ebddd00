package ai.emadaptive.train;

import java.util.stream.IntStream;

import ai.emadaptive.data.BatchFiller;
import ai.emadaptive.data.ImageSet;
import ai.emadaptive.data.Normalisation;
import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Weights;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Logits of every exit for every image of a set, computed once with the serving engine (BN folded). */
public record ExitLogits(float[][][] logits, int[] labels) {

    public static ExitLogits of(Weights weights, ImageSet set, Normalisation norm, int batch) {
        int n = set.count();
        int k = weights.spec().numClasses();
        float[][][] out = new float[ModelSpec.STAGES][n][k];
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
                for (int i = 0; i < b; i++) {
                    for (int c = 0; c < k; c++) out[e][from + i][c] = l.getFloat(i, c);
                }
            }
        }
        return new ExitLogits(out, set.labels().clone());
    }

    public int count() {
        return labels.length;
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /** Top-1 accuracy of each exit (index 0..3 for exits 1..4). */
    public double[] accuracy() {
        double[] acc = new double[ModelSpec.STAGES];
        for (int e = 0; e < ModelSpec.STAGES; e++) {
            int correct = 0;
            for (int i = 0; i < count(); i++) if (argmax(logits[e][i]) == labels[i]) correct++;
            acc[e] = (double) correct / count();
        }
        return acc;
    }
}
