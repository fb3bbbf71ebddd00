package ai.emadaptive.routing;

import ai.emadaptive.artifact.Manifest;
import ai.emadaptive.engine.InferenceEngine;
import ai.emadaptive.model.Flops;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.TaskType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Routed inference on a batch whose frames may leave at different exits and run at different lambdas: after each
 * stage, the frames whose router says "stop" leave, and only the rest go on, so later stages run on fewer rows.
 * Frames may also be pinned to a fixed exit (e.g. forced full depth for comparison).
 *
 * <p>One instance per engine (it keeps scratch). Allocates nothing per batch once warm.
 */
public final class BatchRouter {
    /** Nanoseconds since the batch started at which stage 1..4 completed (0 when the stage did not run). */
    public final long[] stageDoneNanos = new long[ModelSpec.STAGES + 1];
    /**
     * Per frame of the last batch: exit taken, top class, its probability (softmax for single-label, the class's
     * sigmoid for multi-label), normalised cost.
     */
    public final int[] exit;

    public final int[] label;
    public final float[] confidence;
    public final double[] cost;
    /** Per frame of the last batch, per class: softmax (single-label) or sigmoid (multi-label) probability. */
    public final float[][] probabilities;
    /**
     * Per frame of the last batch, bit c set where class c is present: multi-label, the classes whose probability
     * reaches the exit's threshold for them; single-label, just the label's bit (0 beyond 64 classes).
     */
    public final long[] present;
    /**
     * Per frame of the last batch: whether it is unlike the model's in-distribution frames ({@link Uncertainty}, judged
     * on every stage it ran); always false for a model without an uncertainty calibration.
     */
    public final boolean[] uncertain;
    /** The most classes a multi-label model may have: its tool set is one 64-bit mask. */
    public static final int MAX_MULTI_LABEL_CLASSES = Long.SIZE;

    private final InferenceEngine engine;
    private final RouterSet routers;
    private final TaskType task;
    private final double logitThreshold;
    private final double[][] thresholds; // [exit 0..3][class], multi-label only
    private final Uncertainty uncertainty;
    private final double[] maxScore; // per frame: the largest scaled feature distance of the stages it ran
    private final float[] scratch;
    private final double[] routedCost = new double[ModelSpec.STAGES + 1];
    private final double[] fixedCost = new double[ModelSpec.STAGES + 1];
    private final int[] rowOf;
    private final int[] keep;
    private final float[] logits;
    private final float[][] features = new float[ModelSpec.STAGES + 1][];
    private final double[] conf = new double[3];

    /** @param routers the model's routers, or null: then every frame not pinned runs full depth */
    public BatchRouter(InferenceEngine engine, Manifest manifest, RouterSet routers) {
        requireServable(manifest);
        this.engine = engine;
        this.routers = routers;
        this.task = manifest.task();
        this.thresholds = manifest.thresholdArray();
        this.logitThreshold = routers == null ? 0 : Math.log(routers.threshold() / (1 - routers.threshold()));
        ModelSpec spec = engine.spec();
        Flops flops = new Flops(spec);
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            routedCost[e] = manifest.exits().get(e - 1).normalisedCost();
            fixedCost[e] = (double) flops.fixedExit(e) / flops.fullNetwork();
            features[e] = new float[spec.stageChannels(e)];
        }
        int n = engine.maxBatch();
        exit = new int[n];
        label = new int[n];
        confidence = new float[n];
        cost = new double[n];
        rowOf = new int[n];
        keep = new int[n];
        logits = new float[spec.numClasses()];
        probabilities = new float[n][spec.numClasses()];
        present = new long[n];
        uncertain = new boolean[n];
        uncertainty = manifest.uncertainty() == null ? null : Uncertainty.fromJson(manifest.uncertainty());
        maxScore = new double[n];
        scratch = new float[uncertainty == null ? 0 : uncertainty.maxChannels()];
    }

    /**
     * Checks that this router can serve the model: a multi-label model's tool set must fit the 64-bit mask frames
     * carry.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void requireServable(Manifest manifest) {
        int classes = manifest.classes().size();
        if (manifest.task().multiLabel() && classes > MAX_MULTI_LABEL_CLASSES) {
            throw new IllegalArgumentException("a multi-label model may have at most " + MAX_MULTI_LABEL_CLASSES
                    + " classes to be served, this one has " + classes);
        }
        if (manifest.task().multiLabel() && manifest.thresholds() == null) {
            throw new IllegalArgumentException("a multi-label model needs per-exit thresholds to be served");
        }
    }

    /**
     * Runs the first {@code n} frames already written to {@code engine.input(n)}.
     *
     * @param lambda    per frame: the router's lambda
     * @param pinned    per frame: 0 to route, or the exit (1..4) the frame must take
     */
    public void run(int n, double[] lambda, int[] pinned) {
        long t0 = System.nanoTime();
        java.util.Arrays.fill(stageDoneNanos, 0);
        InferenceEngine.Pass pass = engine.start(n);
        int rows = n;
        for (int i = 0; i < n; i++) rowOf[i] = i;
        java.util.Arrays.fill(maxScore, 0, n, 0);
        for (int e = 1; e <= ModelSpec.STAGES && rows > 0; e++) {
            pass.advance();
            stageDoneNanos[e] = System.nanoTime() - t0;
            INDArray feat = (e < ModelSpec.STAGES && routers != null) || uncertainty != null ? pass.feature() : null;
            if (uncertainty != null) {
                // every stage a frame runs is evidence of how foreign it is, whether or not it may stop here
                for (int r = 0; r < rows; r++) {
                    readRow(feat, r, features[e]);
                    maxScore[rowOf[r]] = Math.max(maxScore[rowOf[r]], uncertainty.score(e, features[e], scratch));
                }
            }
            if (!anyMayStop(e, rows, pinned)) continue;
            INDArray head = pass.head();
            int kept = 0;
            for (int r = 0; r < rows; r++) {
                int frame = rowOf[r];
                readRow(head, r, logits);
                boolean stop;
                if (e == ModelSpec.STAGES || pinned[frame] == e) {
                    stop = true;
                } else if (pinned[frame] != 0 || routers == null) {
                    stop = false;
                } else {
                    readRow(feat, r, features[e]);
                    Confidence.features(task, logits, conf);
                    stop = routers.router(e).logit(features[e], conf, lambda[frame]) > logitThreshold;
                }
                if (stop) {
                    finish(frame, e, pinned[frame] != 0);
                } else {
                    keep[kept] = r;
                    rowOf[kept] = frame; // kept <= r, so rowOf[r] was already read
                    kept++;
                }
            }
            if (kept > 0 && kept < rows) pass.keep(keep, kept);
            rows = kept;
        }
    }

    /** Whether any remaining frame could leave at exit e (otherwise the head need not run). */
    private boolean anyMayStop(int e, int rows, int[] pinned) {
        if (e == ModelSpec.STAGES) return true;
        for (int r = 0; r < rows; r++) {
            int p = pinned[rowOf[r]];
            if (p == e || (p == 0 && routers != null)) return true;
        }
        return false;
    }

    private void finish(int frame, int e, boolean isPinned) {
        int best = 0;
        for (int c = 1; c < logits.length; c++) if (logits[c] > logits[best]) best = c;
        float[] p = probabilities[frame];
        if (task.multiLabel()) {
            double[] t = thresholds[e - 1];
            long mask = 0;
            for (int c = 0; c < logits.length; c++) {
                p[c] = (float) Confidence.sigmoid(logits[c]);
                // compare the probability as reported, so an event never lists a tool below its threshold
                if (p[c] >= t[c]) mask |= 1L << c;
            }
            present[frame] = mask;
            confidence[frame] = p[best];
        } else {
            double sum = 0;
            for (float v : logits) sum += Math.exp(v - logits[best]);
            for (int c = 0; c < logits.length; c++) p[c] = (float) (Math.exp(logits[c] - logits[best]) / sum);
            present[frame] = best < Long.SIZE ? 1L << best : 0;
            confidence[frame] = (float) (1 / sum);
        }
        exit[frame] = e;
        label[frame] = best;
        uncertain[frame] = uncertainty != null && uncertainty.uncertain(e, maxScore[frame]);
        cost[frame] = isPinned || routers == null ? fixedCost[e] : routedCost[e];
    }

    /** Row {@code row} of a 2-d array, read straight from its buffer (getFloat(row, i) allocates an index per element). */
    private static void readRow(INDArray a, int row, float[] into) {
        org.nd4j.linalg.api.buffer.DataBuffer data = a.data();
        long base = a.offset() + row * a.stride(0), step = a.stride(1);
        for (int i = 0; i < into.length; i++) into[i] = data.getFloat(base + i * step);
    }
}
