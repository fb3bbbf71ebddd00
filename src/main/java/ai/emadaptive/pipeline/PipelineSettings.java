package ai.emadaptive.pipeline;

import java.nio.file.Path;

import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.ingest.StreamDecoder;

/**
 * @param maxBatch      most frames per inference batch (across streams)
 * @param maxWaitMillis how long a batch waits for other streams' frames once it has one
 * @param maxStreams    streams the node accepts
 * @param previewFps    highest frame rate of the live view
 * @param recordings    folder for MP4 recordings
 * @param control       adaptive-lambda control law
 * @param tickMillis    control period
 * @param maxLambda     ceiling of adaptive lambda
 */
public record PipelineSettings(int maxBatch, double maxWaitMillis, int maxStreams, double previewFps, Path recordings,
                               StreamDecoder.Settings decoder, ControlSettings control, long tickMillis, double maxLambda) {
    public static PipelineSettings defaults() {
        return new PipelineSettings(8, 2, 16, 15, Path.of("recordings"), StreamDecoder.Settings.defaults(),
                ControlSettings.defaults(33), 250, 32);
    }

    public PipelineSettings withMaxStreams(int max) {
        return new PipelineSettings(maxBatch, maxWaitMillis, max, previewFps, recordings, decoder, control, tickMillis, maxLambda);
    }

    public PipelineSettings withControl(ControlSettings control, long tickMillis, double maxLambda) {
        return new PipelineSettings(maxBatch, maxWaitMillis, maxStreams, previewFps, recordings, decoder, control, tickMillis, maxLambda);
    }
}
