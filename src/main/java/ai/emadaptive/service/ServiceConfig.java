package ai.emadaptive.service;

import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.engine.InferenceBackend;
import ai.emadaptive.ingest.StreamDecoder;
import ai.emadaptive.pipeline.PipelineSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Service settings under {@code emadaptive.*}; defaults are documented here and in application.properties. */
@ConfigMapping(prefix = "emadaptive")
public interface ServiceConfig {

    Model model();

    /** Further models streams can pick by name (e.g. {@code emadaptive.models.colon.path=/models/colon.zip}). */
    Map<String, Model> models();

    Pipeline pipeline();

    Sources sources();

    Api api();

    Control control();

    ScaleOut scaleOut();

    /** Streams started at boot, by id (e.g. {@code emadaptive.streams.demo.url=sample-videos/clip.mp4}). */
    Map<String, Stream> streams();

    interface Model {
        /** Model artifact. For the default model, unset means the embedded one (trained on generated scenes). */
        Optional<Path> path();
    }

    interface Pipeline {
        /** Most frames per inference batch, across streams. */
        @WithDefault("" + PipelineSettings.DEFAULT_MAX_BATCH)
        int maxBatch();

        /** Milliseconds a batch waits for other streams' frames once it holds one. */
        @WithDefault("" + PipelineSettings.DEFAULT_MAX_WAIT_MS)
        double maxWaitMs();

        /** Streams this node accepts. */
        @WithDefault("" + PipelineSettings.DEFAULT_MAX_STREAMS)
        int maxStreams();

        /** Highest frame rate of the browser live view per stream. */
        @WithDefault("" + PipelineSettings.DEFAULT_PREVIEW_FPS)
        double previewFps();

        /** Folder for MP4 recordings of streams that ask for one. */
        @WithDefault(PipelineSettings.DEFAULT_RECORDINGS)
        Path recordings();

        /**
         * Recordings last written longer ago than this are deleted (checked at start and every hour, or every tenth of
         * the period when shorter), as ISO-8601, e.g. {@code P30D} or {@code PT12H}; unset: every recording is kept.
         */
        Optional<java.time.Duration> recordingsRetention();

        /** Network sources: read/connect timeout in milliseconds. */
        @WithDefault("" + StreamDecoder.Settings.DEFAULT_IO_TIMEOUT_MS)
        long ioTimeoutMs();

        /** First reconnect delay in milliseconds; doubles up to {@link #maxBackoffMs()}. */
        @WithDefault("" + StreamDecoder.Settings.DEFAULT_BACKOFF_MS)
        long backoffMs();

        /** Longest reconnect delay: a source back after any outage is reopened within this much (plus its open). */
        @WithDefault("" + StreamDecoder.Settings.DEFAULT_MAX_BACKOFF_MS)
        long maxBackoffMs();

        /** Reconnect attempts before a live stream is declared failed; 0 = keep trying. */
        @WithDefault("" + StreamDecoder.Settings.DEFAULT_MAX_RECONNECTS)
        int maxReconnects();

        /**
         * FFmpeg decoding threads per stream; 0 lets FFmpeg choose (one per core, frame threading). One by default:
         * streams decode in parallel already, and frame threading delays each frame by a frame per extra thread.
         */
        @WithDefault("" + StreamDecoder.Settings.DEFAULT_DECODE_THREADS)
        int decodeThreads();

        /**
         * OpenMP threads per operation of each inference worker. One by default: the decoders keep the other cores
         * busy, and beside a decoder two threads were no faster than one (docs/benchmarks/README.md, engine.json).
         */
        @WithDefault("" + PipelineSettings.DEFAULT_INFERENCE_THREADS)
        int inferenceThreads();

        /**
         * The runtime the network runs on: {@code engine} (this project's, oneDNN primitives) or {@code onnx-runtime}
         * (ONNX Runtime on the exported stage and exit graphs); both stop at the routers' exit. The engine by default:
         * level with ONNX Runtime on every measured row and faster on the full path (docs/benchmarks/README.md).
         */
        @WithDefault(PipelineSettings.DEFAULT_BACKEND)
        InferenceBackend backend();
    }

    interface Sources {
        /** URL schemes a stream may use; a plain path counts as a file. */
        @WithDefault("file,rtsp,rtsps,http,https,udp,rtp,rtmp,srt,v4l2")
        Set<String> allowedSchemes();

        /** Folders file sources must lie in (after resolving links and ..). */
        @WithDefault("sample-videos")
        List<Path> allowedDirs();

        /**
         * Hosts network sources may name: host names, {@code *.domain} patterns, addresses or CIDR blocks, each with an
         * optional {@code :port}. Unset: any host except this machine's loopback and link-local addresses. Loopback,
         * link-local and the service's own port are refused unless an entry names them (see HostPolicy).
         */
        Optional<List<String>> allowedHosts();

        /**
         * Folder of secret files (e.g. {@code /run/secrets}): a network URL's {@code {secret:NAME}} is replaced by the
         * content of file NAME there when the source is opened, so credentials need never appear in a URL. Unset: no
         * references.
         */
        Optional<Path> secretsDir();
    }

    /** Adaptive lambda: the node's controller (see LambdaController for the control law). */
    interface Control {
        /** End-to-end latency budget per frame, milliseconds (p95 target). */
        @WithDefault("" + ControlSettings.DEFAULT_BUDGET_MS)
        double budgetMs();

        /**
         * Pressure: p95 over this share of the budget (or late frames or drops) raises the stride first (reuse-first),
         * and lambda only where the budget itself is missed; see docs/design/adaptive-control.md.
         */
        @WithDefault("" + ControlSettings.DEFAULT_HIGH)
        double high();

        /**
         * Headroom: the stride comes down only after calm ticks with p95 below this share of the budget (lambda is also
         * trimmed at p95 under {@code high} of it).
         */
        @WithDefault("" + ControlSettings.DEFAULT_LOW)
        double low();

        /** Control period, milliseconds. */
        @WithDefault("" + PipelineSettings.DEFAULT_TICK_MS)
        long tickMs();

        /** Ticks of headroom before lambda starts to fall; doubled after each failed lowering, up to 16 (or this). */
        @WithDefault("" + ControlSettings.DEFAULT_CALM_TICKS)
        int calmTicks();

        /** Highest lambda the controller may set. */
        @WithDefault("" + PipelineSettings.DEFAULT_MAX_LAMBDA)
        double maxLambda();

        /**
         * Most frames per inference under load that lambda cannot relieve: the network then runs on one frame in k
         * and the frames between carry its result. 1 turns reuse off.
         */
        @WithDefault("" + ControlSettings.DEFAULT_MAX_STRIDE)
        int maxStride();

        /**
         * Reuse results before raising lambda (and lower lambda before the stride when headroom returns). On by default:
         * on the sample clips a stale label costs far less accuracy than an earlier exit (docs/design/adaptive-control.md).
         */
        @WithDefault("" + ControlSettings.DEFAULT_REUSE_FIRST)
        boolean reuseFirst();
    }

    /**
     * Several instances sharing the streams through Kafka: a compacted control topic keyed by stream id, consumed by
     * a consumer group; each instance runs the streams of the partitions it is assigned.
     */
    interface ScaleOut {
        /** Off: this instance runs the streams it is given (config, API) by itself. */
        @WithDefault("false")
        boolean enabled();

        /** Kafka bootstrap servers (defaults to kafka.bootstrap.servers). */
        @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
        String bootstrapServers();

        @WithDefault("em-adaptive.streams")
        String topic();

        @WithDefault("em-adaptive")
        String group();

        /** Partitions of the control topic when this instance creates it: the most instances that can share work. */
        @WithDefault("12")
        int partitions();

        /** How long a silent (dead) instance keeps its streams before the group moves them. */
        @WithDefault("10000")
        long sessionTimeoutMs();
    }

    interface Api {
        /**
         * Token for writes (add/remove streams, set lambda): {@code Authorization: Bearer <token>} or
         * {@code X-API-Key: <token>}. Unset: every write is refused. Reads, health and metrics stay open.
         */
        Optional<String> token();
    }

    interface Stream {
        String url();

        /** Name of the model (a key of {@code emadaptive.models}); unset = the default model. */
        Optional<String> model();

        /** Router lambda; unset = the model's default. */
        Optional<Double> lambda();

        /** Files: replay at the clip's frame rate (true) or as fast as possible. */
        @WithDefault("true")
        boolean realtime();

        /** Files: start again at the end. */
        @WithDefault("false")
        boolean loop();

        /** Record the overlaid frames to MP4. */
        @WithDefault("false")
        boolean record();

        /** Let the node's controller set lambda from load. */
        @WithDefault("false")
        boolean adaptive();
    }
}
