package ai.emadaptive.api;

import ai.emadaptive.ingest.Secrets;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.pipeline.StreamContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A stream as the API reports it.
 *
 * @param accuracy     live accuracy from the clip's sidecar (multi-label: exact match of the tool set), null without one
 * @param toolAccuracy multi-label: share of (frame, tool) decisions right, null without a multi-label sidecar
 * @param tools        multi-label: the latest frame's present tools, most probable first; null for a single-label
 *                     model or before the first result
 * @param label        the latest frame's top class (null before the first result)
 * @param confidence   its probability
 * @param uncertain    whether the latest frame was unlike the model's in-distribution frames: then label and tools are
 *                     a guess
 */
@Schema(description = "State and counters of a stream")
public record StreamStatus(
        String id,
        String url,
        String model,
        String kind,
        String state,
        String lastError,
        double lambda,
        boolean adaptive,
        int stride,
        int pinnedExit,
        int width,
        int height,
        double sourceFps,
        double fps,
        long decoded,
        long processed,
        long dropped,
        Double accuracy,
        String recording,
        Double toolAccuracy,
        List<FrameResult.Tool> tools,
        String label,
        Float confidence,
        boolean uncertain) {

    /** @param latest the stream's latest result event, or null */
    static StreamStatus of(StreamContext s, String recording, FrameResult latest) {
        return new StreamStatus(
                s.id(),
                Secrets.redact(s.spec().url()),
                s.modelName(),
                s.source().kind().name(),
                s.state().name(),
                s.lastError(),
                s.lambda(),
                s.adaptive(),
                s.stride(),
                s.pinnedExit(),
                s.width(),
                s.height(),
                round(s.sourceFps()),
                round(s.fps()),
                s.decodedCount(),
                s.processedCount(),
                s.droppedCount(),
                orNull(s.accuracy()),
                recording,
                orNull(s.toolAccuracy()),
                latest == null ? null : latest.tools(),
                latest == null ? null : latest.label(),
                latest == null ? null : latest.confidence(),
                latest != null && latest.uncertain());
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
