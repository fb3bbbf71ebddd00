package ai.emadaptive.pipeline;

import ai.emadaptive.frame.FrameBuffer;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.output.Mp4Recorder;
import ai.emadaptive.output.PreviewFrame;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The last stage of one stream, on the inference thread: each processed frame becomes a result event, is offered to
 * the live view, and is queued for the stream's recording (opened with its first frame); then it goes back to its
 * pool (the recorder releases the frames it took).
 */
final class StreamSink implements Consumer<FrameBuffer> {
    private final StreamContext ctx;
    private final Consumer<FrameResult> events;
    private final Path recordings;
    private final PreviewFrame preview;
    private volatile Mp4Recorder recorder;

    /** @param events every frame's result, or null */
    StreamSink(StreamContext ctx, Consumer<FrameResult> events, double previewFps, Path recordings) {
        this.ctx = ctx;
        this.events = events;
        this.recordings = recordings;
        this.preview = new PreviewFrame(previewFps);
    }

    /** Whether the next frame's overlay will be seen: the live view is due for one, or the stream is recorded. */
    boolean wantsOverlay() {
        return preview.due() || ctx.spec().record() && !ctx.stopRequested();
    }

    @Override
    public void accept(FrameBuffer f) {
        if (events != null) events.accept(result(f));
        preview.offer(f);
        if (ctx.spec().record() && !ctx.stopRequested() && f.bgrReady) {
            Mp4Recorder rec = recorder;
            if (rec == null) {
                Path file;
                try {
                    file = Mp4Recorder.newFile(recordings, ctx.id(), LocalDateTime.now());
                } catch (java.io.IOException e) {
                    ctx.state(ctx.state(), "recording not started: " + e.getMessage());
                    f.pool.release(f);
                    return;
                }
                rec = new Mp4Recorder(file, ctx.sourceFps(), ctx.id(), msg -> ctx.state(ctx.state(), msg));
                recorder = rec;
            }
            rec.accept(f);
        } else {
            f.pool.release(f);
        }
    }

    /** Once a file has been read: waits for its last frames to be processed, then closes the recording (a whole MP4). */
    void finish() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ctx.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Mp4Recorder r = recorder;
        if (r != null) r.close();
    }

    /** Closes the recording, waiting up to {@code millis} for its queued frames (its writer finishes the rest). */
    void close(long millis) {
        Mp4Recorder r = recorder;
        if (r != null) r.close(millis);
    }

    PreviewFrame preview() {
        return preview;
    }

    Optional<Path> recording() {
        Mp4Recorder r = recorder;
        return r == null ? Optional.empty() : Optional.of(r.file());
    }

    private FrameResult result(FrameBuffer f) {
        List<String> classes = ctx.classes();
        double[] stage = {f.queueNanos(), f.preprocessNanos, f.inferenceNanos, f.overlayNanos};
        for (int i = 0; i < stage.length; i++) stage[i] /= 1e6;
        double[] exits = new double[ModelSpec.STAGES];
        for (int e = 1; e <= ModelSpec.STAGES; e++) exits[e - 1] = f.stageNanos[e] / 1e6;
        boolean multi = ctx.task().multiLabel();
        return new FrameResult(
                ctx.id(),
                ctx.modelName(),
                f.frameIndex,
                f.ptsMicros / 1000.0,
                classes.get(f.label),
                f.confidence,
                f.exit,
                f.cost,
                f.lambda,
                f.batchSize,
                stage,
                exits,
                f.latencyNanos() / 1e6,
                f.truth >= 0 ? classes.get(f.truth) : null,
                f.reused,
                multi ? FrameResult.tools(classes, f.probabilities, f.present) : null,
                multi && f.truthMask != -1 ? FrameResult.names(classes, f.truthMask) : null,
                f.uncertain);
    }
}
