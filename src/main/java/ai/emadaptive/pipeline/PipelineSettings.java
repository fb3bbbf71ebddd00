package ai.emadaptive.pipeline;

import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.engine.InferenceBackend;
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
 *                      the streams' decoders already keep the other cores busy, and beside a decoder two threads
 *                      were no faster than one (docs/benchmarks, engine.json)
 * @param backend       the runtime the workers run the network on
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
        int inferenceThreads,
        InferenceBackend backend) {
    // The defaults, here once: ServiceConfig's @WithDefault values and the bench commands read these.
    public static final int DEFAULT_MAX_BATCH = 8;
    public static final double DEFAULT_MAX_WAIT_MS = 2;
    public static final int DEFAULT_MAX_STREAMS = 16;
    public static final double DEFAULT_PREVIEW_FPS = 15;
    public static final String DEFAULT_RECORDINGS = "recordings";
    public static final long DEFAULT_TICK_MS = 250;
    public static final double DEFAULT_MAX_LAMBDA = 32;
    public static final int DEFAULT_INFERENCE_THREADS = 1;
    /** The engine: level with ONNX Runtime per call, ahead of it in the pipeline on the service's model (docs/benchmarks). */
    public static final String DEFAULT_BACKEND = "ENGINE";

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
                DEFAULT_INFERENCE_THREADS,
                InferenceBackend.valueOf(DEFAULT_BACKEND));
    }

    public PipelineSettings {
        if (inferenceThreads < 1) throw new IllegalArgumentException("inference threads must be >= 1");
        if (backend == null) throw new IllegalArgumentException("no inference backend");
    }

    public PipelineSettings withMaxStreams(int max) {
        return edit(b -> b.maxStreams = max);
    }

    public PipelineSettings withRecordings(Path dir) {
        return edit(b -> b.recordings = dir);
    }

    public PipelineSettings withDecoder(StreamDecoder.Settings decoder) {
        return edit(b -> b.decoder = decoder);
    }

    public PipelineSettings withControl(ControlSettings control, long tickMillis, double maxLambda) {
        return edit(b -> {
            b.control = control;
            b.tickMillis = tickMillis;
            b.maxLambda = maxLambda;
        });
    }

    public PipelineSettings withBackend(InferenceBackend backend) {
        return edit(b -> b.backend = backend);
    }

    /** A copy with some settings changed by name. */
    private PipelineSettings edit(java.util.function.Consumer<Editable> change) {
        Editable e = new Editable(this);
        change.accept(e);
        return e.build();
    }

    /** The settings as named fields, for copies that change a few of them. */
    private static final class Editable {
        int maxBatch;
        double maxWaitMillis;
        int maxStreams;
        double previewFps;
        Path recordings;
        StreamDecoder.Settings decoder;
        ControlSettings control;
        long tickMillis;
        double maxLambda;
        int inferenceThreads;
        InferenceBackend backend;

        Editable(PipelineSettings s) {
            maxBatch = s.maxBatch;
            maxWaitMillis = s.maxWaitMillis;
            maxStreams = s.maxStreams;
            previewFps = s.previewFps;
            recordings = s.recordings;
            decoder = s.decoder;
            control = s.control;
            tickMillis = s.tickMillis;
            maxLambda = s.maxLambda;
            inferenceThreads = s.inferenceThreads;
            backend = s.backend;
        }

        PipelineSettings build() {
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
                    inferenceThreads,
                    backend);
        }
    }
}
