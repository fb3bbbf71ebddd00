package ai.emadaptive.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.Ops;
import ai.emadaptive.model.Ops.Step;
import ai.emadaptive.model.ParamLayout;
import ai.emadaptive.model.Weights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs a multi-exit ResNet-18 stage by stage and stops where the caller stops: a frame that leaves at exit k
 * executes the stem, stages 1..k and only the heads it asks for. Batch norm is folded into the convolutions,
 * every activation buffer is allocated once (for {@code maxBatch} frames) and the prepared operations are reused,
 * as are the views a pass hands out or moves rows through. A pass makes no arrays or views of its own; ND4J's op
 * execution still makes small Java objects per op (argument lists, shape descriptors), which only ND4J can avoid.
 *
 * <p>Not thread-safe: a pipeline gives each worker its own engine (they can share one {@link FoldedWeights}).
 * Input is NHWC float32, already normalised.
 */
public final class ServingEngine {
    private final ModelSpec spec;
    private final int maxBatch;
    private final FoldedWeights weights;

    // Full-size buffers; plans take views of their first n rows.
    private final INDArray input;
    private final INDArray[] stageOut = new INDArray[ModelSpec.STAGES + 1];
    private final Map<String, INDArray> scratch = new HashMap<>();
    private final INDArray[] logits = new INDArray[ModelSpec.STAGES + 1];
    private final INDArray[] features = new INDArray[ModelSpec.STAGES + 1];

    private final Plan[] plans;
    // one view per row of each stage's output, made on first use: keep() moves rows without making views per frame
    private final INDArray[][] stageRows = new INDArray[ModelSpec.STAGES + 1][];
    private final long[] stageRuns = new long[ModelSpec.STAGES + 1];
    private final long[] headRuns = new long[ModelSpec.STAGES + 1];
    private final Pass pass = new Pass();

    public ServingEngine(FoldedWeights weights, ModelSpec spec, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.weights = weights;
        this.plans = new Plan[maxBatch + 1];
        input = Nd4j.create(DataType.FLOAT, maxBatch, spec.inputSize(), spec.inputSize(), spec.inChannels());
        for (int s = 0; s <= ModelSpec.STAGES; s++) {
            int c = s == 0 ? spec.width() : spec.stageChannels(s);
            stageOut[s] = map(spec.stageSize(s), c);
        }
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            logits[e] = Nd4j.create(DataType.FLOAT, maxBatch, spec.numClasses());
            features[e] = Nd4j.create(DataType.FLOAT, maxBatch, spec.stageChannels(e));
        }
    }

    public ServingEngine(Weights weights, int maxBatch) {
        this(new FoldedWeights(weights), weights.spec(), maxBatch);
    }

    public ModelSpec spec() {
        return spec;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** The input buffer for a batch of {@code n} frames: write normalised NHWC pixels into it, then {@link #start}. */
    public INDArray input(int n) {
        checkBatch(n);
        return plan(n).x;
    }

    /** Starts a pass over the first {@code n} frames of {@link #input}. The returned pass is reused by the next call. */
    public Pass start(int n) {
        checkBatch(n);
        pass.reset(n);
        return pass;
    }

    /** Fixed exit: copies {@code frames} in, runs stages 1..exit and head {@code exit} only, returns its logits (a view, valid until the next call). */
    public INDArray run(INDArray frames, int exit) {
        int n = (int) frames.size(0);
        input(n).assign(frames);
        Pass p = start(n);
        for (int s = 1; s <= exit; s++) p.advance();
        return p.head();
    }

    /** How many times stage {@code s} (0 = stem) has run since construction; for tests and metrics. */
    public long stageRuns(int s) {
        return stageRuns[s];
    }

    public long headRuns(int e) {
        return headRuns[e];
    }

    /** One pass through the network for a batch whose rows may leave at different exits. */
    public final class Pass {
        private int rows;
        private int stage;

        void reset(int n) {
            rows = n;
            stage = -1;
        }

        public int rows() {
            return rows;
        }

        /** Stages completed so far (0 after the stem). */
        public int stage() {
            return stage;
        }

        /** Runs the next stage (the stem first if it has not run) on the remaining rows. */
        public void advance() {
            if (stage >= ModelSpec.STAGES) throw new IllegalStateException("all stages already ran");
            Plan plan = plan(rows);
            if (stage < 0) {
                plan.stages[0].run();
                stageRuns[0]++;
                stage = 0;
            }
            stage++;
            plan.stages[stage].run();
            stageRuns[stage]++;
        }

        /** Runs the exit head of the current stage and returns its logits [rows, classes] (a view, valid until the next pass). */
        public INDArray head() {
            if (stage < 1) throw new IllegalStateException("no stage has run yet");
            Plan plan = plan(rows);
            plan.heads[stage].run();
            headRuns[stage]++;
            return plan.logitRows[stage];
        }

        /**
         * Globally average-pooled output of the current stage, [rows, C] (a view, valid until the next pass): what
         * the routers read.
         */
        public INDArray feature() {
            if (stage < 1) throw new IllegalStateException("no stage has run yet");
            Plan plan = plan(rows);
            plan.features[stage].run();
            return plan.featureRows[stage];
        }

        /**
         * Keeps only the given rows (ascending indices into the current rows) for the later stages: they are
         * moved to the front of the stage's buffer in place.
         */
        public void keep(int[] keep, int count) {
            if (stage < 1) throw new IllegalStateException("no stage has run yet");
            INDArray[] row = stageRows(stage);
            int prev = -1;
            for (int j = 0; j < count; j++) {
                int i = keep[j];
                if (i <= prev || i >= rows) throw new IllegalArgumentException("rows to keep must ascend within 0.." + (rows - 1));
                if (i != j) row[j].assign(row[i]);
                prev = i;
            }
            rows = count;
        }
    }

    private Plan plan(int n) {
        Plan p = plans[n];
        if (p == null) p = plans[n] = new Plan(n);
        return p;
    }

    private void checkBatch(int n) {
        if (n < 1 || n > maxBatch) throw new IllegalArgumentException("batch " + n + " outside 1.." + maxBatch);
    }

    private INDArray[] stageRows(int s) {
        INDArray[] row = stageRows[s];
        if (row == null) {
            row = stageRows[s] = new INDArray[maxBatch];
            for (int i = 0; i < maxBatch; i++) row[i] = stageOut[s].slice(i);
        }
        return row;
    }

    private INDArray map(int size, int channels) {
        return Nd4j.create(DataType.FLOAT, maxBatch, size, size, channels);
    }

    private static INDArray rows(INDArray a, int n) {
        return n == a.size(0) ? a : a.get(NDArrayIndex.interval(0, n));
    }

    /** A scratch buffer for {@code maxBatch} rows of the given per-row shape, shared by every plan under its key. */
    private INDArray scratch(String key, int n, long... rowShape) {
        INDArray buf = scratch.computeIfAbsent(key, k -> {
            long[] full = new long[rowShape.length + 1];
            full[0] = maxBatch;
            System.arraycopy(rowShape, 0, full, 1, rowShape.length);
            return Nd4j.create(DataType.FLOAT, full);
        });
        return rows(buf, n);
    }

    /** The prepared steps for a batch of exactly n rows. */
    private final class Plan {
        final Step[] stages = new Step[ModelSpec.STAGES + 1];
        final Step[] heads = new Step[ModelSpec.STAGES + 1];
        final Step[] features = new Step[ModelSpec.STAGES + 1];
        // the views a pass hands out, made once per batch size
        final INDArray x;
        final INDArray[] logitRows = new INDArray[ModelSpec.STAGES + 1];
        final INDArray[] featureRows = new INDArray[ModelSpec.STAGES + 1];

        private final int n;

        Plan(int n) {
            this.n = n;
            x = rows(input, n);
            INDArray stem = rows(stageOut[0], n);
            if (spec.stem().maxPool) {
                int s = ModelSpec.convOut(spec.inputSize(), spec.stem().kernel, spec.stem().stride, spec.stem().kernel / 2);
                INDArray pre = scratch("stem.pre", n, s, s, spec.width());
                stages[0] = Ops.sequence(conv(Names.STEM_CONV, Names.STEM_BN, x, spec.stem().stride, pre), Ops.relu(pre, pre), Ops.maxPool(pre, stem));
            } else {
                stages[0] = Ops.sequence(conv(Names.STEM_CONV, Names.STEM_BN, x, spec.stem().stride, stem), Ops.relu(stem, stem));
            }
            for (int s = 1; s <= ModelSpec.STAGES; s++) {
                List<Step> steps = new ArrayList<>();
                INDArray in = rows(stageOut[s - 1], n);
                int size = spec.stageSize(s);
                int c = spec.stageChannels(s);
                for (int b = 0; b < ModelSpec.BLOCKS_PER_STAGE; b++) {
                    INDArray out = b == ModelSpec.BLOCKS_PER_STAGE - 1 ? rows(stageOut[s], n) : scratch(Names.block(s, b) + ".out", n, size, size, c);
                    block(steps, s, b, in, out, b == 0 ? spec.stageStride(s) : 1);
                    in = out;
                }
                stages[s] = Ops.sequence(steps.toArray(Step[]::new));
                logitRows[s] = rows(logits[s], n);
                featureRows[s] = rows(ServingEngine.this.features[s], n);
                heads[s] = head(s, rows(stageOut[s], n), logitRows[s]);
                features[s] = Ops.globalAvgPool(rows(stageOut[s], n), featureRows[s]);
            }
        }

        /** A convolution with its batch norm folded in. */
        private Step conv(String conv, String bn, INDArray x, int stride, INDArray y) {
            INDArray[] wb = weights.conv(conv, bn);
            return Ops.convOhwi(x, wb[0], wb[1], stride, y);
        }

        private void block(List<Step> steps, int s, int b, INDArray x, INDArray out, int stride) {
            int size = spec.stageSize(s);
            int c = spec.stageChannels(s);
            INDArray mid = scratch(Names.block(s, b) + ".mid", n, size, size, c);
            steps.add(conv(Names.conv1(s, b), Names.bn1(s, b), x, stride, mid));
            steps.add(Ops.relu(mid, mid));
            steps.add(conv(Names.conv2(s, b), Names.bn2(s, b), mid, 1, out));
            INDArray shortcut = x;
            if (ParamLayout.hasDownsample(spec, s, b)) {
                shortcut = scratch(Names.block(s, b) + ".shortcut", n, size, size, c);
                steps.add(conv(Names.downConv(s, b), Names.downBn(s, b), x, stride, shortcut));
            }
            steps.add(Ops.add(out, shortcut, out));
            steps.add(Ops.relu(out, out));
        }

        private Step head(int e, INDArray feature, INDArray out) {
            int c = spec.stageChannels(e);
            INDArray pooled = scratch(Names.exit(e) + ".pooled", n, c);
            INDArray w = weights.plain(Names.headOutW(e));
            INDArray b = weights.plain(Names.headOutb(e));
            if (spec.headType() == HeadType.MLP) {
                INDArray hidden = scratch(Names.exit(e) + ".hidden", n, c);
                return Ops.sequence(Ops.globalAvgPool(feature, pooled),
                        Ops.dense(pooled, weights.plain(Names.headFc1W(e)), weights.plain(Names.headFc1b(e)), hidden),
                        Ops.relu(hidden, hidden), Ops.dense(hidden, w, b, out));
            }
            int stride = spec.convHeadStride(e);
            int size = ModelSpec.convOut(spec.stageSize(e), 3, stride, 1);
            INDArray map = scratch(Names.exit(e) + ".map", n, size, size, c);
            return Ops.sequence(conv(Names.headConv(e), Names.headBn(e), feature, stride, map), Ops.relu(map, map),
                    Ops.globalAvgPool(map, pooled), Ops.dense(pooled, w, b, out));
        }
    }
}
