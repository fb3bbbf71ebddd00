package ai.emadaptive.engine;

import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;

import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.model.HeadType;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Names;
import ai.emadaptive.model.Ops;
import ai.emadaptive.model.Ops.Step;
import ai.emadaptive.model.ParamLayout;
import ai.emadaptive.model.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.jboss.logging.Logger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs a multi-exit ResNet-18 stage by stage and stops where the caller stops: a frame that leaves at exit k
 * executes the stem, stages 1..k and only the heads it asks for. Batch norm is folded into the convolutions,
 * every activation buffer is allocated once (for {@code maxBatch} frames) and the prepared operations are reused,
 * as are the views a pass hands out or moves rows through. A pass makes no arrays or views of its own.
 *
 * <p>On the CPU backend every operation is a oneDNN primitive made once per batch size ({@link Kernels#ONEDNN}):
 * weights packed once, bias, ReLU and the residual addition fused into the convolutions, a block's identity
 * shortcut updated in place. Elsewhere (CUDA) the operations are libnd4j's ops ({@link Kernels#ND4J}). A plan is
 * made on first use of its batch size and keeps the OpenMP thread count of the thread that made it.
 *
 * <p>Not thread-safe: a pipeline gives each worker its own engine (they can share one {@link FoldedWeights}).
 * Input is NHWC float32, already normalised.
 */
public final class ServingEngine implements InferenceEngine {
    private static final Logger LOG = Logger.getLogger(ServingEngine.class);
    /** Which library runs the operations. */
    public enum Kernels {
        /** oneDNN primitives with fused post-ops and packed weights (CPU only). */
        ONEDNN,
        /** libnd4j's ops, one per convolution, addition and activation (any ND4J backend). */
        ND4J;

        /** oneDNN on ND4J's CPU backend, libnd4j's ops on any other. */
        public static Kernels forBackend() {
            return Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu") ? ONEDNN : ND4J;
        }
    }

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
    private final Pointer[][] rawRows = new Pointer[ModelSpec.STAGES + 1][];
    private final long[] stageRuns = new long[ModelSpec.STAGES + 1];
    private final long[] headRuns = new long[ModelSpec.STAGES + 1];
    private final Pass pass = new Pass();
    private final Kernels kernels;
    // oneDNN only: the stream, the weights in the layouts the primitives chose, and every primitive made
    private final DnnlContext dnnl;
    private final PackedWeights packs;
    private final List<DnnlStep> primitives = new ArrayList<>();
    private boolean slowStemReported;

    public ServingEngine(FoldedWeights weights, ModelSpec spec, int maxBatch) {
        this(weights, spec, maxBatch, Kernels.forBackend());
    }

    public ServingEngine(FoldedWeights weights, ModelSpec spec, int maxBatch, Kernels kernels) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.weights = weights;
        this.kernels = kernels;
        this.plans = new Plan[maxBatch + 1];
        this.dnnl = kernels == Kernels.ONEDNN ? new DnnlContext() : null;
        this.packs = kernels == Kernels.ONEDNN ? new PackedWeights() : null;
        input = Nd4j.create(DataType.FLOAT, maxBatch, spec.inputSize(), spec.inputSize(), spec.inChannels());
        for (int s = 0; s <= ModelSpec.STAGES; s++) {
            int c = s == 0 ? spec.width() : spec.stageChannels(s);
            // oneDNN updates an identity block in place, so a stage without a downsampling block works in its input's
            // buffer
            boolean inPlace = kernels == Kernels.ONEDNN && s > 0 && !ParamLayout.hasDownsample(spec, s, 0);
            stageOut[s] = inPlace ? stageOut[s - 1] : map(spec.stageSize(s), c);
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

    public Kernels kernels() {
        return kernels;
    }

    /** Frees the oneDNN primitives and packed weights; the engine is unusable afterwards. */
    @Override
    public void close() {
        if (dnnl == null) return;
        for (DnnlStep p : primitives) p.close();
        primitives.clear();
        packs.close();
        dnnl.close();
        java.util.Arrays.fill(plans, null);
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

    /** How many times stage {@code s} (0 = stem) has run since construction; for tests and metrics. */
    public long stageRuns(int s) {
        return stageRuns[s];
    }

    public long headRuns(int e) {
        return headRuns[e];
    }

    /** One pass through the network for a batch whose rows may leave at different exits. */
    public final class Pass implements InferenceEngine.Pass {
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
            if (dnnl != null) {
                // ND4J's assign would allocate per call
                if (rawRows[stage] == null) rawRows[stage] = Rows.addresses(stageOut[stage]);
                Rows.keep(rawRows[stage], Rows.bytes(stageOut[stage]), keep, count, rows);
            } else {
                Rows.check(keep, count, rows);
                INDArray[] row = stageRows(stage);
                for (int j = 0; j < count; j++) if (keep[j] != j) row[j].assign(row[keep[j]]);
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
                int s = ModelSpec.convOut(
                        spec.inputSize(), spec.stem().kernel, spec.stem().stride, spec.stem().kernel / 2);
                INDArray pre = scratch("stem.pre", n, s, s, spec.width());
                stages[0] = dnnl != null
                        ? pooledStem(pre, stem)
                        : Ops.sequence(
                                convRelu(Names.STEM_CONV, Names.STEM_BN, x, spec.stem().stride, pre),
                                Ops.maxPool(pre, stem));
            } else {
                stages[0] = convRelu(Names.STEM_CONV, Names.STEM_BN, x, spec.stem().stride, stem);
            }
            for (int s = 1; s <= ModelSpec.STAGES; s++) {
                List<Step> steps = new ArrayList<>();
                INDArray in = rows(stageOut[s - 1], n);
                int size = spec.stageSize(s);
                int c = spec.stageChannels(s);
                for (int b = 0; b < ModelSpec.BLOCKS_PER_STAGE; b++) {
                    INDArray out;
                    if (dnnl != null && !ParamLayout.hasDownsample(spec, s, b)) out = in; // identity block in place
                    else if (dnnl != null || b == ModelSpec.BLOCKS_PER_STAGE - 1) out = rows(stageOut[s], n);
                    else out = scratch(Names.block(s, b) + ".out", n, size, size, c);
                    block(steps, s, b, in, out, b == 0 ? spec.stageStride(s) : 1);
                    in = out;
                }
                stages[s] = Ops.sequence(steps.toArray(Step[]::new));
                logitRows[s] = rows(logits[s], n);
                featureRows[s] = rows(ServingEngine.this.features[s], n);
                heads[s] = head(s, rows(stageOut[s], n), logitRows[s]);
                features[s] = meanPool(rows(stageOut[s], n), featureRows[s]);
            }
        }

        /**
         * oneDNN: the stem's convolution and max pool on NHWC maps, then the pooled map into stage 1's layout. The
         * convolution reads the caller's three NHWC channels directly (oneDNN runs that fast only into an NHWC output;
         * otherwise the input is reordered to planar first) and the pool compares as integers ({@link
         * Pool#max3x3NonNegative}). The output is bit-identical to a reorder, blocked convolution and float pool, in
         * less time (docs/benchmarks, "what the network costs per exit").
         */
        private Step pooledStem(INDArray pre, INDArray stem) {
            INDArray[] wb = weights.conv(Names.STEM_CONV, Names.STEM_BN);
            FusedConv conv = new FusedConv(
                    dnnl,
                    x,
                    dnnl_nhwc,
                    wb[0],
                    wb[1],
                    spec.stem().stride,
                    FusedConv.Post.RELU,
                    pre,
                    dnnl_nhwc,
                    packs,
                    Names.STEM_CONV);
            if (conv.isReference() && !slowStemReported) {
                slowStemReported = true;
                LOG.warnf("oneDNN has no fast kernel for this CPU and the stem's NHWC convolution; it runs on its"
                        + " reference kernel");
            }
            keep(conv);
            if (layout(stem) == dnnl_nhwc) return Ops.sequence(conv, keep(Pool.max3x3NonNegative(dnnl, pre, stem)));
            INDArray pooled = scratch("stem.pooled", n, stem.size(1), stem.size(2), stem.size(3));
            return Ops.sequence(
                    conv,
                    keep(Pool.max3x3NonNegative(dnnl, pre, pooled)),
                    keep(Reorder.between(dnnl, pooled, dnnl_nhwc, stem, layout(stem))));
        }

        /** y = max(conv(x) + b, 0), the convolution with its batch norm folded in. */
        private Step convRelu(String conv, String bn, INDArray x, int stride, INDArray y) {
            INDArray[] wb = weights.conv(conv, bn);
            if (dnnl != null) return fused(conv, wb, x, stride, FusedConv.Post.RELU, y);
            return Ops.sequence(Ops.convOhwi(x, wb[0], wb[1], stride, y), Ops.relu(y, y));
        }

        /** y = conv(x) + b (no activation). */
        private Step conv(String conv, String bn, INDArray x, int stride, INDArray y) {
            INDArray[] wb = weights.conv(conv, bn);
            if (dnnl != null) return fused(conv, wb, x, stride, FusedConv.Post.NONE, y);
            return Ops.convOhwi(x, wb[0], wb[1], stride, y);
        }

        private Step fused(String name, INDArray[] wb, INDArray x, int stride, FusedConv.Post post, INDArray y) {
            return keep(new FusedConv(dnnl, x, layout(x), wb[0], wb[1], stride, post, y, layout(y), packs, name));
        }

        /**
         * oneDNN's layout for a map: the input as the stem prefers it (reordered from the caller's NHWC), every activation blocked by 8 channels
         * (one AVX2 register), which oneDNN's direct convolutions run much faster on than NHWC at the small maps of
         * the late stages; a blocked [n, c, h, w] map fills exactly the [n, h, w, c] buffer (channels are multiples
         * of 8) and each frame's data stays contiguous, so rows still move as whole frames.
         */
        private int layout(INDArray map) {
            if (map == x) return dnnl_format_tag_any;
            return map.size(3) % 8 != 0 ? dnnl_nhwc : dnnl_nChw8c;
        }

        /**
         * out = max(conv2(relu(conv1(x))) + shortcut, 0). oneDNN: the shortcut is written into {@code out} first (the
         * downsampling convolution, or nothing when {@code out} is {@code x}) and conv2 adds into it.
         */
        private void block(List<Step> steps, int s, int b, INDArray x, INDArray out, int stride) {
            int size = spec.stageSize(s);
            int c = spec.stageChannels(s);
            INDArray mid = scratch(Names.block(s, b) + ".mid", n, size, size, c);
            boolean down = ParamLayout.hasDownsample(spec, s, b);
            if (dnnl != null) {
                if (!down && out != x) throw new IllegalStateException("an identity block runs in place");
                if (down) steps.add(conv(Names.downConv(s, b), Names.downBn(s, b), x, stride, out));
                steps.add(convRelu(Names.conv1(s, b), Names.bn1(s, b), x, stride, mid));
                INDArray[] wb = weights.conv(Names.conv2(s, b), Names.bn2(s, b));
                steps.add(fused(Names.conv2(s, b), wb, mid, 1, FusedConv.Post.SUM_RELU, out));
                return;
            }
            steps.add(convRelu(Names.conv1(s, b), Names.bn1(s, b), x, stride, mid));
            steps.add(conv(Names.conv2(s, b), Names.bn2(s, b), mid, 1, out));
            INDArray shortcut = x;
            if (down) {
                shortcut = scratch(Names.block(s, b) + ".shortcut", n, size, size, c);
                steps.add(conv(Names.downConv(s, b), Names.downBn(s, b), x, stride, shortcut));
            }
            steps.add(Ops.add(out, shortcut, out));
            steps.add(Ops.relu(out, out));
        }

        private Step head(int e, INDArray feature, INDArray out) {
            int c = spec.stageChannels(e);
            INDArray pooled = scratch(Names.exit(e) + ".pooled", n, c);
            if (spec.headType() == HeadType.MLP) {
                INDArray hidden = scratch(Names.exit(e) + ".hidden", n, c);
                return Ops.sequence(
                        meanPool(feature, pooled),
                        dense(pooled, Names.headFc1W(e), Names.headFc1b(e), true, hidden),
                        dense(hidden, Names.headOutW(e), Names.headOutb(e), false, out));
            }
            int stride = spec.convHeadStride(e);
            int size = ModelSpec.convOut(spec.stageSize(e), 3, stride, 1);
            INDArray map = scratch(Names.exit(e) + ".map", n, size, size, c);
            return Ops.sequence(
                    convRelu(Names.headConv(e), Names.headBn(e), feature, stride, map),
                    meanPool(map, pooled),
                    dense(pooled, Names.headOutW(e), Names.headOutb(e), false, out));
        }

        private Step meanPool(INDArray x, INDArray y) {
            return dnnl != null ? keep(Pool.mean(dnnl, x, layout(x), y)) : Ops.globalAvgPool(x, y);
        }

        private Step dense(INDArray x, String wName, String bName, boolean relu, INDArray y) {
            INDArray w = weights.plain(wName), b = weights.plain(bName);
            if (dnnl != null) return keep(new FusedDense(dnnl, x, w, b, relu, y, packs, wName));
            Step d = Ops.dense(x, w, b, y);
            return relu ? Ops.sequence(d, Ops.relu(y, y)) : d;
        }

        private Step keep(DnnlStep p) {
            primitives.add(p);
            return p;
        }
    }
}
