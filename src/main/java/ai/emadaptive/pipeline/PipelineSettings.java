package ai.emadaptive.pipeline;

import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.ingest.StreamDecoder;
import java.nio.file.Path;

/**
 * @param maxBatch      most frames per inference batch (across streams)
 * @param maxWaitMillis how long a batch waits for other streams' frames once it has one
 * @param maxStreams    streams the node accepts
 * @param previewFps    highest frame rate of the live view
 * @param recordings    folder for MP4 recordings
 * @param control       adaptive-lambda control law
 * @param tickMillis    control period
 * @param maxLambda     ceiling of adaptive lambda
 * @param inferenceThreads OpenMP threads per operation of each inference worker (set on the worker's thread). One by default:
 *                      the streams' decoders already keep the other cores busy, and on a small machine a parallel
 *                      region that waits for a descheduled thread costs more than the parallelism gains
 */
public record PipelineSettings(
        int maxBatch,
        double maxWaitMillis,
        int maxStreams,
        double previewFps,
        Path recordings,
        StreamDecoder.Settings decoder,
        ControlSettings control,
        long tickMillis,
        double maxLambda,
        int inferenceThreads) {
    // The defaults, here once: ServiceConfig's @WithDefault values and the bench commands read these.
    public static final int DEFAULT_MAX_BATCH = 8;
    public static final double DEFAULT_MAX_WAIT_MS = 2;
    public static final int DEFAULT_MAX_STREAMS = 16;
    public static final double DEFAULT_PREVIEW_FPS = 15;
    public static final String DEFAULT_RECORDINGS = "recordings";
    public static final long DEFAULT_TICK_MS = 250;
    public static final double DEFAULT_MAX_LAMBDA = 32;
    public static final int DEFAULT_INFERENCE_THREADS = 1;

    public static PipelineSettings defaults() {
        return new PipelineSettings(
                DEFAULT_MAX_BATCH,
                DEFAULT_MAX_WAIT_MS,
                DEFAULT_MAX_STREAMS,
                DEFAULT_PREVIEW_FPS,
                Path.of(DEFAULT_RECORDINGS),
                StreamDecoder.Settings.defaults(),
                ControlSettings.defaults(ControlSettings.DEFAULT_BUDGET_MS)
                        .withReuse(ControlSettings.DEFAULT_MAX_STRIDE, ControlSettings.DEFAULT_REUSE_FIRST),
                DEFAULT_TICK_MS,
                DEFAULT_MAX_LAMBDA,
                DEFAULT_INFERENCE_THREADS);
    }

    public PipelineSettings {
        if (inferenceThreads < 1) throw new IllegalArgumentException("inference threads must be >= 1");
    }

    public PipelineSettings withMaxStreams(int max) {
        return new PipelineSettings(
                maxBatch,
                maxWaitMillis,
                max,
                previewFps,
                recordings,
                decoder,
                control,
                tickMillis,
                maxLambda,
                inferenceThreads);
    }

    public PipelineSettings withRecordings(Path dir) {
        return new PipelineSettings(
                maxBatch,
                maxWaitMillis,
                maxStreams,
                previewFps,
                dir,
                decoder,
                control,
                tickMillis,
                maxLambda,
                inferenceThreads);
    }

    public PipelineSettings withDecoder(StreamDecoder.Settings decoder) {
        return new PipelineSettings(
                maxBatch,
                maxWaitMillis,
                maxStreams,
                previewFps,
                recordings,
                decoder,
                control,
                tickMillis,
                maxLambda,
                inferenceThreads);
    }

    public PipelineSettings withControl(ControlSettings control, long tickMillis, double maxLambda) {
        return new PipelineSettings(
                maxBatch,
                maxWaitMillis,
                maxStreams,
                previewFps,
                recordings,
                decoder,
                control,
                tickMillis,
                maxLambda,
                inferenceThreads);
    }
}
