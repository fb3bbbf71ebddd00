package ai.emadaptive.pipeline;

import ai.emadaptive.control.ControlledStream;
import ai.emadaptive.frame.DropReason;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.ingest.DecodedStream;
import ai.emadaptive.ingest.GroundTruth;
import ai.emadaptive.ingest.Secrets;
import ai.emadaptive.ingest.SourceUrl;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.metrics.MeteredStream;
import ai.emadaptive.metrics.StreamMeters;
import ai.emadaptive.model.TaskType;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * One running stream: its spec and source, its knobs (lambda, pinned exit, adaptive, stride), its state and last
 * error, and its frames waiting for inference. What the stages need of it is each stage's own narrow view
 * ({@link DecodedStream} for the decoder, {@link ControlledStream} for the controller, {@link MeteredStream} for the
 * gauges); the jobs behind them are {@link StreamTally} (counts, rate, accuracy), {@link ResultReuse} (stride) and
 * {@link StreamOutputs} (where processed frames go).
 */
public final class StreamContext implements DecodedStream, ControlledStream, MeteredStream {
    /** Decoded frames that may wait for inference per stream (the oldest is dropped beyond that). */
    static final int BUFFERED = 2;

    private final StreamSpec spec;
    private final SourceUrl source;
    private final List<String> classes;
    private final TaskType task;
    private final StreamTally tally;
    private final ResultReuse reuse;
    private final StreamOutputs outputs = new StreamOutputs();
    private volatile double lambda;
    private volatile int pinnedExit;
    private volatile boolean adaptive;
    private volatile StreamState state = StreamState.STARTING;
    private volatile String lastError;
    private volatile boolean stopRequested;
    private volatile GroundTruth truth;
    private volatile double sourceFps;
    private volatile int width, height;

    /** Guarded by the exchange's lock. */
    final PendingFrames pending;

    /** @param classes the stream's model's class names, {@code task} what its head predicts */
    public StreamContext(StreamSpec spec, SourceUrl source, double lambda, List<String> classes, TaskType task) {
        this(spec, source, lambda, classes, task, BUFFERED);
    }

    StreamContext(StreamSpec spec, SourceUrl source, double lambda, List<String> classes, TaskType task, int buffered) {
        this.pending = new PendingFrames(buffered);
        this.spec = spec;
        this.source = source;
        this.classes = List.copyOf(classes);
        this.task = task;
        this.tally = new StreamTally(classes.size(), task);
        this.reuse = new ResultReuse(classes.size());
        this.pinnedExit = spec.pinnedExit();
        lambda(lambda);
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public TaskType task() {
        return task;
    }

    /** The model this stream runs on. */
    public String modelName() {
        return spec.model() == null ? Pipeline.DEFAULT_MODEL : spec.model();
    }

    @Override
    public StreamSpec spec() {
        return spec;
    }

    @Override
    public SourceUrl source() {
        return source;
    }

    // --- knobs

    @Override
    public double lambda() {
        return lambda;
    }

    @Override
    public void lambda(double value) {
        // below 0 is allowed: a model's routers may be fitted over (and default to) lambdas that favour depth
        if (!Double.isFinite(value)) throw new IllegalArgumentException("lambda must be a finite number: " + value);
        lambda = value;
    }

    @Override
    public boolean adaptive() {
        return adaptive;
    }

    /** @param latencyListener the controller's, fed each frame's end-to-end latency (ms) while adaptive */
    public void adaptive(boolean on, DoubleConsumer latencyListener) {
        outputs.latencyListener(on ? latencyListener : null);
        this.adaptive = on;
    }

    /** Frames per inference: 1 infers every frame; k infers one in k and the others carry its result. */
    public int stride() {
        return reuse.stride();
    }

    @Override
    public void stride(int value) {
        reuse.stride(value);
    }

    @Override
    public boolean reuseNext() {
        return reuse.reuseNext();
    }

    /** Inference thread: keeps an inferred frame's result for the frames that reuse it. */
    void remember(FrameBuffer f) {
        reuse.remember(f);
    }

    /** Inference thread: gives a reused frame the last inferred frame's result (it costs no network compute). */
    void recall(FrameBuffer f) {
        reuse.recall(f);
    }

    /** 0 to route frame by frame, or the exit every frame of this stream is forced to (4 = full depth). */
    public int pinnedExit() {
        return pinnedExit;
    }

    public void pinnedExit(int exit) {
        if (exit < 0 || exit > 4) throw new IllegalArgumentException("exit must be 0..4: " + exit);
        pinnedExit = exit;
    }

    // --- state

    @Override
    public StreamState state() {
        return state;
    }

    @Override
    public boolean active() {
        return state.active();
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void running() {
        this.lastError = null;
        this.state = StreamState.RUNNING;
    }

    @Override
    public void state(StreamState state, String error) {
        // the error first: whoever sees the new state sees its reason (both fields are volatile)
        if (error != null) this.lastError = Secrets.redact(error); // FFmpeg's messages may quote the URL
        this.state = state;
    }

    @Override
    public boolean stopRequested() {
        return stopRequested;
    }

    public void requestStop() {
        stopRequested = true;
    }

    public void truth(GroundTruth truth) {
        this.truth = truth;
    }

    @Override
    public GroundTruth truth() {
        return truth;
    }

    @Override
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

    // --- outputs

    public void meters(StreamMeters meters) {
        outputs.meters(meters);
    }

    public StreamMeters meters() {
        return outputs.meters();
    }

    /** Where processed frames go (overlay is done); the sink releases the frame to its pool when finished with it. */
    public void sink(Consumer<FrameBuffer> sink) {
        outputs.sink(sink);
    }

    /** Sees each processed frame (overlay drawn) before the sink; must not keep the buffer. E.g. snapshots. */
    public void observer(Consumer<FrameBuffer> observer) {
        outputs.observer(observer);
    }

    /** When the overlay is worth drawing (e.g. the live view will take the frame, or it is being recorded). */
    public void overlayWhen(BooleanSupplier wanted) {
        outputs.overlayWhen(wanted);
    }

    /**
     * Called per frame by the decoder (whether to make BGR pixels) and the inference thread (whether to draw): nobody
     * sees an overlay on a frame that is neither shown nor kept.
     */
    @Override
    public boolean wantsOverlay() {
        return outputs.wantsOverlay();
    }

    // --- counts

    @Override
    public void decoded() {
        tally.decoded();
    }

    @Override
    public void dropped(FrameBuffer frame, DropReason reason) {
        if (frame != null) frame.pool.release(frame);
        tally.dropped(reason != DropReason.DECODE_ERROR);
        outputs.dropped(reason);
    }

    @Override
    public void dropped(DropReason reason) {
        dropped(null, reason);
    }

    /** Called by the inference thread once a frame is fully processed; hands it to its outputs. */
    void processed(FrameBuffer f) {
        tally.processed(f);
        outputs.deliver(f);
        tally.settled(); // only now: the frame is with its outputs (e.g. queued for the recording)
    }

    @Override
    public long decodedCount() {
        return tally.decodedCount();
    }

    public long processedCount() {
        return tally.processedCount();
    }

    @Override
    public long droppedCount() {
        return tally.droppedCount();
    }

    /** Decoded frames not yet processed or dropped: waiting, in inference or being overlaid. */
    public long inFlight() {
        return tally.inFlight();
    }

    @Override
    public int queueDepth() {
        return pending.size(); // racy read for metrics only
    }

    @Override
    public double fps() {
        return tally.fps();
    }

    /**
     * Share of ground-truth-labelled frames predicted right, NaN without ground truth. Multi-label: exact match, the
     * frame's whole tool set right.
     */
    @Override
    public double accuracy() {
        return tally.accuracy();
    }

    /**
     * Multi-label: mean per-tool accuracy, the share of (frame, tool) decisions that match the ground truth; NaN
     * without a multi-label ground truth or for a single-label model.
     */
    @Override
    public double toolAccuracy() {
        return tally.toolAccuracy();
    }
}
