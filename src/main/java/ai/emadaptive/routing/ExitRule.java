package ai.emadaptive.routing;

import ai.emadaptive.engine.ServingEngine;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.TaskType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decides, after an exit head ran on one frame, whether the frame stops there. Drives {@link #run}, which executes
 * only the stages up to the exit taken: early exits save wall-clock time, not just counted FLOPs.
 */
public interface ExitRule {

    /** @param logits the exit head's logits [1, classes]; {@code pass} can supply the stage feature */
    boolean stop(int exit, INDArray logits, ServingEngine.Pass pass);

    /** The exit this rule always takes without consulting heads, or 0 when it decides frame by frame. */
    default int fixedExit() {
        return 0;
    }

    /** Runs one frame (already in {@code engine.input(1)}) and returns the exit it left at. */
    static int run(ServingEngine engine, ExitRule rule) {
        ServingEngine.Pass pass = engine.start(1);
        if (rule.fixedExit() > 0) {
            for (int e = 1; e <= rule.fixedExit(); e++) pass.advance();
            pass.head();
            return rule.fixedExit();
        }
        for (int e = 1; e < ModelSpec.STAGES; e++) {
            pass.advance();
            if (rule.stop(e, pass.head(), pass)) return e;
        }
        pass.advance();
        pass.head();
        return ModelSpec.STAGES;
    }

    /** A fixed exit: stages after it never run; heads before it are not consulted. */
    static ExitRule fixed(int exit) {
        return new ExitRule() {
            @Override
            public boolean stop(int e, INDArray logits, ServingEngine.Pass pass) {
                return e == exit;
            }

            @Override
            public int fixedExit() {
                return exit;
            }
        };
    }

    /** A single-label {@link #entropy(TaskType, double)}. */
    static ExitRule entropy(double threshold) {
        return entropy(TaskType.SINGLE_LABEL, threshold);
    }

    /** A single-label {@link #em(TaskType, RouterSet, double)}. */
    static ExitRule em(RouterSet routers, double lambda) {
        return em(TaskType.SINGLE_LABEL, routers, lambda);
    }

    /**
     * Stops where the head's {@link Confidence#uncertainty} falls below the threshold. One instance per worker (it
     * keeps scratch).
     */
    static ExitRule entropy(TaskType task, double threshold) {
        return new ExitRule() {
            private float[] row;

            @Override
            public boolean stop(int e, INDArray logits, ServingEngine.Pass pass) {
                row = copyRow(logits, row);
                return Confidence.uncertainty(task, row) < threshold;
            }
        };
    }

    /** Stops where the exit's router says so at this lambda. One instance per worker (it keeps scratch). */
    static ExitRule em(TaskType task, RouterSet routers, double lambda) {
        double logitThreshold = Math.log(routers.threshold() / (1 - routers.threshold()));
        return new ExitRule() {
            private float[] row;
            private final float[][] features = new float[ModelSpec.STAGES][];
            private final double[] confidence = new double[3];

            @Override
            public boolean stop(int e, INDArray logits, ServingEngine.Pass pass) {
                row = copyRow(logits, row);
                features[e] = copyRow(pass.feature(), features[e]);
                Confidence.features(task, row, confidence);
                return routers.router(e).logit(features[e], confidence, lambda) > logitThreshold;
            }
        };
    }

    /** Row 0 of {@code a} into {@code into} (allocated on first use only). */
    static float[] copyRow(INDArray a, float[] into) {
        int n = (int) a.size(1);
        float[] out = into != null && into.length == n ? into : new float[n];
        for (int i = 0; i < n; i++) out[i] = a.getFloat(0L, (long) i);
        return out;
    }
}
