package ai.emadaptive.engine;

import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.model.Weights;
import ai.emadaptive.onnx.OnnxExport;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The same stop-at-exit engine on ONNX Runtime: the artifact's stage and exit-head graphs ({@link
 * OnnxExport#stageAndHeadGraphs}, batch norm folded, graph optimisation ALL), one session each, run stage by stage
 * on the rows still in the pass. Inputs and outputs are ORT tensors over this engine's own buffers, made once per
 * batch size, so ORT reads and writes them in place; each run still makes ORT's small result objects.
 *
 * <p>Stage maps are NCHW (the graphs' layout); a frame's map is contiguous, so rows move as whole frames. Pooled
 * features are averaged here from the maps.
 */
public final class OrtEngine implements InferenceEngine {
    private final ModelSpec spec;
    private final int maxBatch;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession[] stages = new OrtSession[ModelSpec.STAGES + 1];
    private final OrtSession[] heads = new OrtSession[ModelSpec.STAGES + 1];
    private final INDArray input;
    private final INDArray[] maps = new INDArray[ModelSpec.STAGES + 1]; // [maxBatch, C, h, w]
    private final INDArray[] logits = new INDArray[ModelSpec.STAGES + 1];
    private final INDArray[] features = new INDArray[ModelSpec.STAGES + 1];
    private final Plan[] plans;
    private final long[] stageRuns = new long[ModelSpec.STAGES + 1];
    private final long[] headRuns = new long[ModelSpec.STAGES + 1];
    private final Pass pass = new Pass();
    private final Pointer[][] rowPointers = new Pointer[ModelSpec.STAGES + 1][];

    /** @param threads ONNX Runtime's intra-op threads */
    public OrtEngine(Weights weights, int maxBatch, int threads) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
        this.spec = weights.spec();
        this.maxBatch = maxBatch;
        this.plans = new Plan[maxBatch + 1];
        byte[][][] graphs = OnnxExport.stageAndHeadGraphs(weights);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            for (int s = 0; s <= ModelSpec.STAGES; s++) stages[s] = env.createSession(graphs[0][s], o);
            for (int e = 1; e <= ModelSpec.STAGES; e++) heads[e] = env.createSession(graphs[1][e], o);
        } catch (OrtException e) {
            close();
            throw new IllegalStateException("ONNX Runtime refused the model's graphs: " + e.getMessage(), e);
        }
        input = Nd4j.create(DataType.FLOAT, maxBatch, spec.inputSize(), spec.inputSize(), spec.inChannels());
        for (int s = 0; s <= ModelSpec.STAGES; s++) {
            int c = s == 0 ? spec.width() : spec.stageChannels(s);
            maps[s] = Nd4j.create(DataType.FLOAT, maxBatch, c, spec.stageSize(s), spec.stageSize(s));
        }
        for (int e = 1; e <= ModelSpec.STAGES; e++) {
            logits[e] = Nd4j.create(DataType.FLOAT, maxBatch, spec.numClasses());
            features[e] = Nd4j.create(DataType.FLOAT, maxBatch, spec.stageChannels(e));
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public INDArray input(int n) {
        return plan(n).x;
    }

    @Override
    public Pass start(int n) {
        plan(n);
        pass.rows = n;
        pass.stage = -1;
        return pass;
    }

    @Override
    public long stageRuns(int s) {
        return stageRuns[s];
    }

    @Override
    public long headRuns(int e) {
        return headRuns[e];
    }

    @Override
    public void close() {
        for (Plan p : plans) if (p != null) p.close();
        java.util.Arrays.fill(plans, null);
        for (OrtSession[] list : new OrtSession[][] {stages, heads}) {
            for (OrtSession s : list) {
                try {
                    if (s != null) s.close();
                } catch (OrtException e) {
                    // closing: nothing left to do with it
                }
            }
        }
    }

    /** A pass; rows already moved to the front of each map. */
    public final class Pass implements InferenceEngine.Pass {
        private int rows;
        private int stage;

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int stage() {
            return stage;
        }

        @Override
        public void advance() {
            if (stage >= ModelSpec.STAGES) throw new IllegalStateException("all stages already ran");
            Plan plan = plan(rows);
            if (stage < 0) {
                plan.runStage(0);
                stage = 0;
            }
            stage++;
            plan.runStage(stage);
        }

        @Override
        public INDArray head() {
            if (stage < 1) throw new IllegalStateException("no stage has run yet");
            Plan plan = plan(rows);
            plan.runHead(stage);
            return plan.logitRows[stage];
        }

        @Override
        public INDArray feature() {
            if (stage < 1) throw new IllegalStateException("no stage has run yet");
            Plan plan = plan(rows);
            plan.pool(stage);
            return plan.featureRows[stage];
        }

        @Override
        public void keep(int[] keep, int count) {
            if (stage < 1) throw new IllegalStateException("no stage has run yet");
            if (rowPointers[stage] == null) rowPointers[stage] = Rows.addresses(maps[stage]);
            Rows.keep(rowPointers[stage], Rows.bytes(maps[stage]), keep, count, rows);
            rows = count;
        }
    }

    private Plan plan(int n) {
        if (n < 1 || n > maxBatch) throw new IllegalArgumentException("batch " + n + " outside 1.." + maxBatch);
        Plan p = plans[n];
        if (p == null) p = plans[n] = new Plan(n);
        return p;
    }

    /** ORT tensors over the first n rows of every buffer, and the argument maps of each run, made once. */
    private final class Plan implements AutoCloseable {
        final INDArray x;
        final INDArray[] logitRows = new INDArray[ModelSpec.STAGES + 1];
        final INDArray[] featureRows = new INDArray[ModelSpec.STAGES + 1];
        private final OnnxTensor[] mapTensors = new OnnxTensor[ModelSpec.STAGES + 1];
        private final OnnxTensor[] logitTensors = new OnnxTensor[ModelSpec.STAGES + 1];
        private final OnnxTensor inputTensor;
        private final Map<String, OnnxTensor>[] stageIn;
        private final Map<String, OnnxValue>[] stageOut;
        private final Map<String, OnnxTensor>[] headIn;
        private final Map<String, OnnxValue>[] headOut;
        private final FloatBuffer[] mapData = new FloatBuffer[ModelSpec.STAGES + 1];
        private final FloatBuffer[] featureData = new FloatBuffer[ModelSpec.STAGES + 1];
        private final int n;

        @SuppressWarnings("unchecked")
        Plan(int n) {
            this.n = n;
            x = rows(input, n);
            stageIn = new Map[ModelSpec.STAGES + 1];
            stageOut = new Map[ModelSpec.STAGES + 1];
            headIn = new Map[ModelSpec.STAGES + 1];
            headOut = new Map[ModelSpec.STAGES + 1];
            try {
                inputTensor = tensor(x);
                for (int s = 0; s <= ModelSpec.STAGES; s++) {
                    mapData[s] = floats(rows(maps[s], n));
                    mapTensors[s] = tensor(rows(maps[s], n));
                    stageIn[s] = Map.of(
                            s == 0 ? OnnxExport.INPUT : OnnxExport.MAP, s == 0 ? inputTensor : mapTensors[s - 1]);
                    stageOut[s] = Map.of(OnnxExport.MAP_OUT, mapTensors[s]);
                }
                for (int e = 1; e <= ModelSpec.STAGES; e++) {
                    logitRows[e] = rows(logits[e], n);
                    featureRows[e] = rows(features[e], n);
                    featureData[e] = floats(featureRows[e]);
                    logitTensors[e] = tensor(logitRows[e]);
                    headIn[e] = Map.of(OnnxExport.MAP, mapTensors[e]);
                    headOut[e] = Map.of(OnnxExport.LOGITS, logitTensors[e]);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
            }
        }

        void runStage(int s) {
            try (OrtSession.Result r = stages[s].run(stageIn[s], stageOut[s])) {
                stageRuns[s]++;
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime, stage " + s + ": " + e.getMessage(), e);
            }
        }

        void runHead(int e) {
            try (OrtSession.Result r = heads[e].run(headIn[e], headOut[e])) {
                headRuns[e]++;
            } catch (OrtException ex) {
                throw new IllegalStateException("ONNX Runtime, exit " + e + ": " + ex.getMessage(), ex);
            }
        }

        /** The mean of each channel of stage s's NCHW map, for the rows in the pass. */
        void pool(int s) {
            FloatBuffer map = mapData[s], out = featureData[s];
            int c = (int) maps[s].size(1), hw = (int) (maps[s].size(2) * maps[s].size(3));
            for (int i = 0; i < pass.rows; i++) {
                for (int ch = 0; ch < c; ch++) {
                    int at = (i * c + ch) * hw;
                    float sum = 0;
                    for (int k = 0; k < hw; k++) sum += map.get(at + k);
                    out.put(i * c + ch, sum / hw);
                }
            }
        }

        private OnnxTensor tensor(INDArray a) throws OrtException {
            return OnnxTensor.createTensor(env, floats(a), a.shape());
        }

        @Override
        public void close() {
            if (inputTensor != null) inputTensor.close();
            for (OnnxTensor t : mapTensors) if (t != null) t.close();
            for (OnnxTensor t : logitTensors) if (t != null) t.close();
        }
    }

    /** The array's memory as a direct float buffer of exactly its elements (no copy): ORT reads and writes it in place. */
    private static FloatBuffer floats(INDArray a) {
        if (a.ordering() != 'c' || a.elementWiseStride() != 1)
            throw new IllegalArgumentException("contiguous arrays only");
        FloatBuffer all = a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        int from = (int) (a.offset() - a.data().offset());
        return all.position(from).limit(from + (int) a.length()).slice();
    }

    private static INDArray rows(INDArray a, int n) {
        return n == a.size(0) ? a : a.get(NDArrayIndex.interval(0, n));
    }
}
