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
    public static PipelineSettings defaults() {
        return new PipelineSettings(
                8,
                2,
                16,
                15,
                Path.of("recordings"),
                StreamDecoder.Settings.defaults(),
                ControlSettings.defaults(33)
                        .withReuse(ControlSettings.DEFAULT_MAX_STRIDE, ControlSettings.DEFAULT_REUSE_FIRST),
                250,
                32,
                1);
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
