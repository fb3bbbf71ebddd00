package ai.emadaptive.pipeline;

import ai.emadaptive.frame.DropReason;
import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.metrics.StreamMeters;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * Where a stream's processed frames go, in order: its meters, the controller's latency listener (adaptive streams),
 * an observer (e.g. a snapshot) and the sink (result event, live view, recording), which releases the frame.
 */
final class StreamOutputs {
    private volatile StreamMeters meters;
    private volatile DoubleConsumer latencyListener;
    private volatile Consumer<FrameBuffer> observer;
    private volatile Consumer<FrameBuffer> sink;
    private volatile BooleanSupplier overlayWanted = () -> true;

    void meters(StreamMeters meters) {
        this.meters = meters;
    }

    StreamMeters meters() {
        return meters;
    }

    void latencyListener(DoubleConsumer listener) {
        this.latencyListener = listener;
    }

    void observer(Consumer<FrameBuffer> observer) {
        this.observer = observer;
    }

    void sink(Consumer<FrameBuffer> sink) {
        this.sink = sink;
    }

    void overlayWhen(BooleanSupplier wanted) {
        this.overlayWanted = wanted;
    }

    /** Nobody sees an overlay on a frame that is neither observed, shown nor kept. */
    boolean wantsOverlay() {
        return observer != null || overlayWanted.getAsBoolean();
    }

    /** Inference thread: hands a processed frame to each output; without a sink the frame goes back to its pool. */
    void deliver(FrameBuffer f) {
        StreamMeters m = meters;
        if (m != null) m.processed(f);
        DoubleConsumer l = latencyListener;
        if (l != null) l.accept(f.latencyNanos() / 1e6);
        Consumer<FrameBuffer> o = observer;
        if (o != null && f.overlaid) o.accept(f);
        Consumer<FrameBuffer> s = sink;
        if (s != null) s.accept(f);
        else f.pool.release(f);
    }

    void dropped(DropReason reason) {
        StreamMeters m = meters;
        if (m != null) m.dropped(reason);
    }
}
