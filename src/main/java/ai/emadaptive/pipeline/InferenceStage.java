package ai.emadaptive.pipeline;

import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.engine.InferenceEngine;
import ai.emadaptive.frame.DropReason;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.frame.FramePool;
import ai.emadaptive.ingest.Preprocessor;
import ai.emadaptive.metrics.BatchSize;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.output.OverlayRenderer;
import ai.emadaptive.routing.BatchRouter;
import ai.emadaptive.routing.RouterSet;
import org.jboss.logging.Logger;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The inference worker: takes micro-batches of frames from the {@link FrameExchange} (one per stream at most),
 * copies their input rows (prepared by the decoders, see {@link Preprocessor}) into its engine's input, runs
 * routed inference (each frame at its stream's lambda, leaving at its own exit), draws the overlay on each
 * full-resolution frame and hands it to its stream. It owns its engine, so several workers could run side by side
 * on shared weights.
 */
public final class InferenceStage implements Runnable {
    private static final Logger LOG = Logger.getLogger(InferenceStage.class);

    private final FrameExchange exchange;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final InferenceEngine engine;
    private final BatchRouter router;
    private final BatchInput input = new BatchInput();
    private final int rowLength;
    private final OverlayRenderer overlay;
    private final BatchSize batchMeter;
    private final FrameBuffer[] frames;
    private final StreamContext[] from;
    private final double[] lambda;
    private final int[] pinned;
    private final int[] row; // each frame's row in the engine's input, -1 for a reused frame
    private final int threads;
    private volatile boolean stop;
    private String failure; // worker thread only: the failure last logged, null while inference works
    private long failedBatches;

    /**
     * @param engine  this worker's own, for up to its maxBatch frames; closed when the worker ends
     * @param threads OpenMP threads of this worker's operations (see {@link PipelineSettings#inferenceThreads()})
     */
    public InferenceStage(
            ModelArtifact model,
            InferenceEngine engine,
            FrameExchange exchange,
            long maxWaitNanos,
            int threads,
            BatchSize batchMeter) {
        this.exchange = exchange;
        this.threads = threads;
        this.maxBatch = engine.maxBatch();
        this.maxWaitNanos = maxWaitNanos;
        this.engine = engine;
        RouterSet routers = model.manifest().routers() == null
                ? null
                : RouterSet.fromJson(model.manifest().routers());
        this.router = new BatchRouter(engine, model.manifest(), routers);
        this.rowLength = new Preprocessor(model.manifest().input()).rowLength();
        this.overlay =
                new OverlayRenderer(model.manifest().classes(), model.manifest().task());
        this.batchMeter = batchMeter;
        frames = new FrameBuffer[maxBatch];
        from = new StreamContext[maxBatch];
        lambda = new double[maxBatch];
        pinned = new int[maxBatch];
        row = new int[maxBatch];
        warmUp();
    }

    /**
     * Builds the engine's plans for every batch size and loads Java2D's fonts now (the first text drawn takes
     * ~100 ms), so the first frames of a live stream are not dropped.
     */
    private void warmUp() {
        int callers = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        limitThreads(threads);
        try {
            warmUpPlans();
        } finally {
            limitThreads(callers); // the constructing thread's own setting
        }
    }

    private void warmUpPlans() {
        FrameBuffer dummy = new FramePool(64, 48, 1, rowLength, router.probabilities[0].length).acquire();
        dummy.decodedNanos = System.nanoTime();
        overlay.draw(dummy, 0, Double.NaN);
        for (int n = 1; n <= maxBatch; n++) {
            engine.input(n).assign(0);
            java.util.Arrays.fill(pinned, 0, n, ModelSpec.STAGES);
            router.run(n, lambda, pinned);
        }
        java.util.Arrays.fill(pinned, 0);
    }

    /** The streams of the first {@code n} frames taken, for a log line (only on failure: it allocates). */
    private String ids(int n) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) ids.add(from[i].id());
        return String.join(", ", ids);
    }

    public void stop() {
        stop = true;
    }

    /** OpenMP's thread count is a setting of the calling thread, so each thread that runs the engine sets it. */
    private static void limitThreads(int threads) {
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    @Override
    public void run() {
        limitThreads(threads);
        try {
            work();
        } finally {
            engine.close(); // its native primitives and packed weights: a worker ends with its pipeline
        }
    }

    private void work() {
        while (!stop) {
            int n;
            try {
                n = exchange.take(frames, from, maxBatch, maxWaitNanos, 100_000_000L);
            } catch (InterruptedException e) {
                return;
            }
            if (n == 0) continue;
            try {
                process(n);
                if (failure != null) {
                    LOG.infof("inference works again after %d failed batches", failedBatches);
                    failure = null;
                }
            } catch (RuntimeException | Error e) {
                // A bad batch must not stop the worker: drop its frames, report on their streams, go on. A failure
                // that repeats is logged once (with the streams it hit), not once a batch.
                String what = String.valueOf(e);
                if (!what.equals(failure)) {
                    LOG.errorf(e, "inference failed on a batch of %d (streams %s); its frames are dropped", n, ids(n));
                    failure = what;
                    failedBatches = 0;
                }
                failedBatches++;
                for (int i = 0; i < n; i++) {
                    from[i].state(from[i].state(), "inference failed: " + e);
                    from[i].dropped(frames[i], DropReason.INFERENCE_ERROR);
                }
            } finally {
                for (int i = 0; i < n; i++) {
                    frames[i] = null;
                    from[i] = null;
                }
            }
        }
    }

    /**
     * One micro-batch; allocation-free apart from Java2D's text drawing (only on frames someone will see). Reused
     * frames take no row of the engine's input: the network runs on the others only.
     */
    void process(int n) {
        long taken = System.nanoTime();
        int m = 0;
        for (int i = 0; i < n; i++) {
            frames[i].takenNanos = taken;
            if (frames[i].reused) {
                row[i] = -1;
                continue;
            }
            row[i] = m;
            lambda[m] = from[i].lambda();
            pinned[m] = from[i].pinnedExit();
            input.write(frames[i].input, engine.input(maxBatch), m);
            m++;
        }
        if (m > 0) router.run(m, lambda, pinned);
        long inferred = System.nanoTime();
        if (batchMeter != null && m > 0) batchMeter.record(m);
        for (int i = 0; i < n; i++) {
            FrameBuffer f = frames[i];
            int r = row[i];
            f.adaptive = from[i].adaptive();
            f.stride = from[i].stride();
            f.batchSize = m;
            if (r < 0) {
                f.lambda = from[i].lambda();
                from[i].recall(f);
                f.inferenceNanos = 0;
                java.util.Arrays.fill(f.stageNanos, 0);
            } else {
                f.lambda = lambda[r];
                f.exit = router.exit[r];
                f.label = router.label[r];
                f.confidence = router.confidence[r];
                f.present = router.present[r];
                f.uncertain = router.uncertain[r];
                float[] p = router.probabilities[r];
                System.arraycopy(p, 0, f.probabilities, 0, Math.min(p.length, f.probabilities.length));
                f.cost = router.cost[r];
                f.inferenceNanos = inferred - taken;
                for (int e = 1; e <= ModelSpec.STAGES; e++) f.stageNanos[e] = router.stageDoneNanos[e];
                from[i].remember(f);
            }
            long o = System.nanoTime();
            f.overlaid = f.bgrReady && from[i].wantsOverlay();
            if (f.overlaid) overlay.draw(f, from[i].fps(), from[i].accuracy());
            f.doneNanos = System.nanoTime();
            f.overlayNanos = f.doneNanos - o;
            from[i].processed(f);
        }
    }
}
