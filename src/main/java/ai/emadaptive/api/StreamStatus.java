package ai.emadaptive.api;

import ai.emadaptive.pipeline.StreamContext;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stream as the API reports it. */
@Schema(description = "State and counters of a stream")
public record StreamStatus(String id, String url, String model, String kind, String state, String lastError, double lambda, boolean adaptive, int stride,
                           int pinnedExit, int width, int height, double sourceFps, double fps, long decoded,
                           long processed, long dropped, Double accuracy, String recording) {

    static StreamStatus of(StreamContext s, String recording) {
        double acc = s.accuracy();
        return new StreamStatus(s.id(), s.spec().url(), s.modelName(), s.source().kind().name(), s.state().name(), s.lastError(), s.lambda(), s.adaptive(), s.stride(),
                s.pinnedExit(), s.width(), s.height(), round(s.sourceFps()), round(s.fps()), s.decodedCount(),
                s.processedCount(), s.droppedCount(), Double.isNaN(acc) ? null : acc, recording);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
