package ai.emadaptive.pipeline;

import ai.emadaptive.ingest.GroundTruth;
import ai.emadaptive.ingest.SourceUrl;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.metrics.StreamMeters;
import ai.emadaptive.model.TaskType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Everything the pipeline knows about one stream while it runs: its spec and source, its lambda (changeable at
 * runtime), its state and last error, its pending frame (see {@link FrameExchange}), counters, live accuracy and
 * where its processed frames go.
 */
public final class StreamContext {
    private final StreamSpec spec;
    private final SourceUrl source;
    private volatile double lambda;
    private volatile int pinnedExit;
    private volatile boolean adaptive;
    private volatile int stride = 1;
    private volatile boolean hasResult;
    private int sinceInferred; // decoder thread only
    private int lastLabel, lastExit; // inference thread only: the last inferred frame's result
    private float lastConfidence;
    private long lastPresent;
    private boolean lastUncertain; // inference thread only
    private float[] lastProbabilities = new float[0];
    private volatile java.util.List<String> classes = java.util.List.of();
    private volatile TaskType task = TaskType.SINGLE_LABEL;
    private long allClasses; // mask of every class, multi-label
    private volatile java.util.function.DoubleConsumer latencyListener;
    private volatile StreamState state = StreamState.STARTING;
    private volatile String lastError;
    private volatile boolean stopRequested;
    private volatile GroundTruth truth;
    private volatile StreamMeters meters;
    private volatile Consumer<FrameBuffer> sink;
    private volatile Consumer<FrameBuffer> observer;
    private volatile java.util.function.BooleanSupplier overlayWanted = () -> true;
    private volatile double sourceFps;
    private volatile int width, height;

    /** Guarded by the exchange's lock. */
    final PendingFrames pending;

    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong settled = new AtomicLong(); // decoded frames that were processed or dropped
    private long labelled, correct; // written by the inference thread only
    private long toolDecisions, toolsCorrect; // multi-label: (frame, tool) decisions scored, and right
    private volatile double fps;
    private long lastDoneNanos;
    private double meanGapNanos;

    public StreamContext(StreamSpec spec, SourceUrl source, double lambda) {
        this(spec, source, lambda, 2);
    }

    /** @param buffered decoded frames that may wait for inference (the oldest is dropped beyond that) */
    public StreamContext(StreamSpec spec, SourceUrl source, double lambda, int buffered) {
        this.pending = new PendingFrames(buffered);
        this.spec = spec;
        this.source = source;
        this.lambda = lambda;
    }

    public String id() {
        return spec.id();
    }

    /** What the stream's model predicts, set before the stream starts: its class names and task. */
    public void classes(java.util.List<String> classes, TaskType task) {
        this.classes = java.util.List.copyOf(classes);
        this.task = task;
        this.lastProbabilities = new float[classes.size()];
        this.allClasses = classes.size() >= Long.SIZE ? -1L : (1L << classes.size()) - 1;
    }

    /** The model's class names (empty until {@link #classes(java.util.List, TaskType)}). */
    public java.util.List<String> classes() {
        return classes;
    }

    public TaskType task() {
        return task;
    }

    /** The model this stream runs on. */
    public String modelName() {
        return spec.model() == null ? Pipeline.DEFAULT_MODEL : spec.model();
    }

    public StreamSpec spec() {
        return spec;
    }

    public SourceUrl source() {
        return source;
    }

    public double lambda() {
        return lambda;
    }

    public void lambda(double value) {
        if (!Double.isFinite(value) || value < 0)
            throw new IllegalArgumentException("lambda must be a finite number >= 0: " + value);
        lambda = value;
    }

    /** Whether the node's controller sets this stream's lambda. */
    public boolean adaptive() {
        return adaptive;
    }

    public void adaptive(boolean on, java.util.function.DoubleConsumer latencyListener) {
        this.latencyListener = on ? latencyListener : null;
        this.adaptive = on;
    }

    /** Frames per inference: 1 infers every frame; k infers one in k and the others carry its result. */
    public int stride() {
        return stride;
    }

    public void stride(int value) {
        if (value < 1) throw new IllegalArgumentException("stride must be >= 1: " + value);
        stride = value;
    }

    /**
     * Called by the decoder once per frame it publishes: whether inference may skip this frame and give it the last
     * inferred frame's result. Never before a first result exists, so the first frame is always inferred.
     */
    public boolean reuseNext() {
        if (stride > 1 && hasResult && sinceInferred + 1 < stride) {
            sinceInferred++;
            return true;
        }
        sinceInferred = 0;
        return false;
    }

    /** Inference thread: keeps an inferred frame's result for the frames that reuse it. */
    void remember(FrameBuffer f) {
        lastLabel = f.label;
        lastExit = f.exit;
        lastConfidence = f.confidence;
        lastPresent = f.present;
        lastUncertain = f.uncertain;
        System.arraycopy(
                f.probabilities, 0, lastProbabilities, 0, Math.min(f.probabilities.length, lastProbabilities.length));
        hasResult = true;
    }

    /** Inference thread: gives a reused frame the last inferred frame's result (it costs no network compute). */
    void recall(FrameBuffer f) {
        f.label = lastLabel;
        f.exit = lastExit;
        f.confidence = lastConfidence;
        f.present = lastPresent;
        f.uncertain = lastUncertain;
        System.arraycopy(
                lastProbabilities, 0, f.probabilities, 0, Math.min(f.probabilities.length, lastProbabilities.length));
        f.cost = 0;
    }

    /** 0 to route frame by frame, or the exit every frame of this stream is forced to (4 = full depth). */
    public int pinnedExit() {
        return pinnedExit;
    }

    public void pinnedExit(int exit) {
        if (exit < 0 || exit > 4) throw new IllegalArgumentException("exit must be 0..4: " + exit);
        pinnedExit = exit;
    }

    public StreamState state() {
        return state;
    }

    public String lastError() {
        return lastError;
    }

    /** The source is open and delivering: an error from before (a failed reconnect) no longer describes the stream. */
    public void running() {
        this.lastError = null;
        this.state = StreamState.RUNNING;
    }

    public void state(StreamState state, String error) {
        // the error first: whoever sees the new state sees its reason (both fields are volatile)
        if (error != null)
            this.lastError = ai.emadaptive.ingest.Secrets.redact(error); // FFmpeg's messages may quote the URL
        this.state = state;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    public void requestStop() {
        stopRequested = true;
    }

    public void truth(GroundTruth truth) {
        this.truth = truth;
    }

    public GroundTruth truth() {
        return truth;
    }

    public void meters(StreamMeters meters) {
        this.meters = meters;
    }

    public StreamMeters meters() {
        return meters;
    }

    /** Where processed frames go (overlay is done); the sink releases the frame to its pool when finished with it. */
    public void sink(Consumer<FrameBuffer> sink) {
        this.sink = sink;
    }

    /** Sees each processed frame (overlay drawn) before the sink; must not keep the buffer. E.g. snapshots. */
    /** When the overlay is worth drawing (e.g. the live view will take the frame, or it is being recorded). */
    public void overlayWhen(java.util.function.BooleanSupplier wanted) {
        this.overlayWanted = wanted;
    }

    /**
     * Called per frame by the decoder (whether to make BGR pixels) and the inference thread (whether to draw): nobody
     * sees an overlay on a frame that is neither shown nor kept.
     */
    public boolean wantsOverlay() {
        return observer != null || overlayWanted.getAsBoolean();
    }

    public void observer(Consumer<FrameBuffer> observer) {
        this.observer = observer;
    }

    public void source(int width, int height, double fps) {
        this.width = width;
        this.height = height;
        this.sourceFps = fps;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public double sourceFps() {
        return sourceFps;
    }

    public void decoded() {
        decoded.incrementAndGet();
    }

    public long decodedCount() {
        return decoded.get();
    }

    public long processedCount() {
        return processed.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    public int queueDepth() {
        return pending.size(); // racy read for metrics only
    }

    public double fps() {
        return fps;
    }

    /**
     * Share of ground-truth-labelled frames predicted right, NaN without ground truth. Multi-label: exact match, the
     * frame's whole tool set right.
     */
    public double accuracy() {
        long n = labelled;
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /**
     * Multi-label: mean per-tool accuracy, the share of (frame, tool) decisions that match the ground truth; NaN
     * without a multi-label ground truth or for a single-label model.
     */
    public double toolAccuracy() {
        long n = toolDecisions;
        return n == 0 ? Double.NaN : (double) toolsCorrect / n;
    }

    /** Counts a dropped frame and returns its buffer to the pool. */
    public void dropped(FrameBuffer frame, DropReason reason) {
        if (frame != null) frame.pool.release(frame);
        if (reason != DropReason.DECODE_ERROR) settled.incrementAndGet();
        dropped(reason);
    }

    /** Decoded frames not yet processed or dropped: waiting, in inference or being overlaid. */
    public long inFlight() {
        return decoded.get() - settled.get();
    }

    public void dropped(DropReason reason) {
        dropped.incrementAndGet();
        StreamMeters m = meters;
        if (m != null) m.dropped(reason);
    }

    /** Called by the inference thread once a frame is fully processed; hands it to the sink. */
    void processed(FrameBuffer f) {
        processed.incrementAndGet();
        if (task.multiLabel()) {
            if (f.truthMask != -1) {
                long wrong = (f.present ^ f.truthMask) & allClasses;
                labelled++;
                if (wrong == 0) correct++;
                toolDecisions += classes.size();
                toolsCorrect += classes.size() - Long.bitCount(wrong);
            }
        } else if (f.truth >= 0) {
            labelled++;
            if (f.truth == f.label) correct++;
        }
        long gap = lastDoneNanos == 0 ? 0 : f.doneNanos - lastDoneNanos;
        lastDoneNanos = f.doneNanos;
        if (gap > 0) {
            // average the gaps, not their inverses: irregular gaps would inflate an average of rates
            meanGapNanos = meanGapNanos == 0 ? gap : 0.9 * meanGapNanos + 0.1 * gap;
            fps = 1e9 / meanGapNanos;
        }
        StreamMeters m = meters;
        if (m != null) m.processed(f);
        java.util.function.DoubleConsumer l = latencyListener;
        if (l != null) l.accept(f.latencyNanos() / 1e6);
        Consumer<FrameBuffer> o = observer;
        if (o != null && f.overlaid) o.accept(f);
        Consumer<FrameBuffer> s = sink;
        if (s != null) s.accept(f);
        else f.pool.release(f);
        settled.incrementAndGet(); // only now: the frame is with its outputs (e.g. queued for the recording)
    }
}
