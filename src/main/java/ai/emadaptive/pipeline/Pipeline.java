package ai.emadaptive.pipeline;

import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.control.AdaptiveLambda;
import ai.emadaptive.control.LambdaController;
import ai.emadaptive.ingest.GroundTruth;
import ai.emadaptive.ingest.Preprocessor;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.SourceUrl;
import ai.emadaptive.ingest.StreamDecoder;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.metrics.BatchSize;
import ai.emadaptive.metrics.StreamMeters;
import ai.emadaptive.model.FoldedWeights;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.output.PreviewFrame;
import ai.emadaptive.routing.RouterSet;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The streaming pipeline of one node, without any framework: streams are added and removed at runtime; each has a
 * decoder thread; one inference worker batches across them; processed frames go to the result events, the live
 * view and (optionally) an MP4. The Quarkus service and the {@code bench-pipeline} command both drive this class.
 */
public final class Pipeline implements AutoCloseable {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Pipeline.class);
    // the last failure of each model's controller tick, so a failure that repeats every tick is logged once
    private final Map<String, String> tickFailures = new ConcurrentHashMap<>();
    /** The model a stream gets when it names none. */
    public static final String DEFAULT_MODEL = "default";

    private final Map<String, Worker> workers = new java.util.LinkedHashMap<>();
    private final PipelineSettings settings;
    private final MeterRegistry registry;
    private final SourcePolicy policy;
    private final Consumer<FrameResult> events;
    private final Map<String, Running> streams = new ConcurrentHashMap<>();

    private record Running(StreamContext context, Worker worker, Thread decoder, StreamSink sink) {}

    /** One model: its frame exchange and its inference thread. */
    private record Worker(
            String name,
            ModelArtifact model,
            double defaultLambda,
            FrameExchange exchange,
            InferenceStage stage,
            Thread thread,
            AdaptiveLambda control) {}

    private final java.util.concurrent.ScheduledExecutorService controlTimer;

    /** One model, named {@value #DEFAULT_MODEL}. @param events receives every frame's result; may be null */
    public Pipeline(
            ModelArtifact model,
            PipelineSettings settings,
            MeterRegistry registry,
            SourcePolicy policy,
            Consumer<FrameResult> events) {
        this(Map.of(DEFAULT_MODEL, model), settings, registry, policy, events);
    }

    /** Several models by name, each with its own inference worker; streams pick one by name. */
    public Pipeline(
            Map<String, ModelArtifact> models,
            PipelineSettings settings,
            MeterRegistry registry,
            SourcePolicy policy,
            Consumer<FrameResult> events) {
        if (!models.containsKey(DEFAULT_MODEL))
            throw new IllegalArgumentException("models must include '" + DEFAULT_MODEL + "'");
        this.settings = settings;
        this.registry = registry;
        this.policy = policy;
        this.events = events;
        BatchSize batchMeter = new BatchSize(registry);
        for (Map.Entry<String, ModelArtifact> e : models.entrySet()) {
            ModelArtifact model = e.getValue();
            RouterSet routers = model.manifest().routers() == null
                    ? null
                    : RouterSet.fromJson(model.manifest().routers());
            FrameExchange exchange = new FrameExchange();
            InferenceStage stage = new InferenceStage(
                    model,
                    settings.backend()
                            .create(
                                    model.weights(),
                                    new FoldedWeights(model.weights()),
                                    settings.maxBatch(),
                                    settings.inferenceThreads()),
                    exchange,
                    (long) (settings.maxWaitMillis() * 1e6),
                    settings.inferenceThreads(),
                    batchMeter);
            Thread t = new Thread(stage, "inference-" + e.getKey());
            t.setDaemon(true);
            t.start();
            double floor = routers == null ? 0 : routers.defaultLambda();
            String name = e.getKey();
            AdaptiveLambda control = new AdaptiveLambda(
                    new LambdaController(settings.control(), floor, Math.max(floor + 1e-3, settings.maxLambda())),
                    () -> streams.values().stream()
                            .filter(r -> r.worker().name().equals(name))
                            .map(Running::context)
                            .toList());
            workers.put(name, new Worker(name, model, floor, exchange, stage, t, control));
            new ai.emadaptive.metrics.ControlGauges(registry, name, control);
        }
        controlTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lambda-control");
            t.setDaemon(true);
            return t;
        });
        controlTimer.scheduleAtFixedRate(
                this::tickControllers,
                settings.tickMillis(),
                settings.tickMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void tickControllers() {
        for (Worker w : workers.values()) {
            try {
                w.control().tick();
                if (tickFailures.remove(w.name()) != null)
                    LOG.infof("model %s: lambda controller ticks again", w.name());
            } catch (RuntimeException e) {
                // a failed tick leaves lambda as it was and the next tick tries again; said once per kind of failure
                String what = e.getClass().getName() + ": " + e.getMessage();
                if (!what.equals(tickFailures.put(w.name(), what))) {
                    LOG.errorf(
                            e,
                            "model %s: lambda controller tick failed (streams %s keep their lambda)",
                            w.name(),
                            streamsOf(w));
                }
            }
        }
    }

    private String streamsOf(Worker w) {
        return streams.values().stream()
                .filter(r -> r.worker() == w)
                .map(r -> r.context().id())
                .sorted()
                .toList()
                .toString();
    }

    /**
     * Puts a stream under the node's lambda controller, or back to a fixed lambda ({@code lambda}, when not null).
     *
     * @return false when there is no such stream
     */
    public boolean adaptive(String id, boolean on, Double lambda) {
        Running r = streams.get(id);
        if (r == null) return false;
        AdaptiveLambda control = r.worker().control();
        synchronized (control) {
            if (on) {
                r.context().lambda(control.controller().lambda());
                r.context().stride(control.controller().stride());
                r.context().adaptive(true, control::frame);
            } else {
                r.context().adaptive(false, null);
                r.context().stride(1);
                if (lambda != null) r.context().lambda(lambda);
            }
            control.rebase();
        }
        return true;
    }

    /** The controller of the model's worker (for metrics and status). */
    public AdaptiveLambda control(String model) {
        Worker w = workers.get(model);
        if (w == null) throw new IllegalArgumentException("unknown model '" + model + "'");
        return w.control();
    }

    /** Which sources streams may open. */
    public SourcePolicy policy() {
        return policy;
    }

    /** The lambda a stream gets when it names none: the default model's default. */
    public double defaultLambda() {
        return workers.get(DEFAULT_MODEL).defaultLambda();
    }

    /**
     * Starts a stream. Failures of the source itself (cannot open, not video, dies) do not throw: they show in the
     * stream's state and last error.
     *
     * @throws ai.emadaptive.ingest.SourceRejectedException when the URL is not allowed
     * @throws IllegalStateException when the id is taken or the node is full
     */
    public synchronized StreamContext add(StreamSpec spec) {
        if (streams.containsKey(spec.id())) throw new IllegalStateException("stream " + spec.id() + " already exists");
        if (streams.size() >= settings.maxStreams())
            throw new IllegalStateException("this node runs at most " + settings.maxStreams() + " streams");
        String modelName = spec.model() == null ? DEFAULT_MODEL : spec.model();
        Worker worker = workers.get(modelName);
        if (worker == null)
            throw new IllegalArgumentException("unknown model '" + modelName + "' (models: " + workers.keySet() + ")");
        SourceUrl source = policy.check(spec.url());
        StreamContext ctx = new StreamContext(
                spec,
                source,
                spec.lambda() != null ? spec.lambda() : worker.defaultLambda(),
                worker.model().manifest().classes(),
                worker.model().manifest().task());
        if (source.file() != null) ctx.truth(GroundTruth.beside(source.file(), ctx.classes()));
        // The frame's path, stage by stage:
        //   decoder (this stream's thread): source -> FFmpeg -> network input -> the model's exchange
        //   inference (the model's worker, batching across streams): routed network -> overlay -> ctx.processed
        //   outputs: meters -> controller's latency listener (adaptive) -> sink: event, live view, recording
        StreamSink sink = new StreamSink(ctx, events, settings.previewFps(), settings.recordings());
        ctx.meters(new StreamMeters(registry, ctx));
        ctx.sink(sink);
        ctx.overlayWhen(sink::wantsOverlay);
        StreamDecoder decoding = new StreamDecoder(
                ctx,
                (frame, wait) -> worker.exchange().publish(ctx, frame, wait),
                settings.decoder(),
                new Preprocessor(worker.model().manifest().input()),
                sink::finish,
                policy);
        Thread decoder = new Thread(decoding, "decode-" + spec.id());
        decoder.setDaemon(true);
        streams.put(spec.id(), new Running(ctx, worker, decoder, sink));
        worker.exchange().register(ctx);
        if (spec.adaptive()) adaptive(spec.id(), true, null);
        decoder.start();
        return ctx;
    }

    /** Stops and removes a stream; its meters go with it. @return false when there was no such stream */
    public boolean remove(String id) {
        return remove(id, System.nanoTime() + 1_000_000_000L);
    }

    /** Removes a stream, waiting for its decoder and its recording's queued frames until {@code deadlineNanos} at most. */
    private boolean remove(String id, long deadlineNanos) {
        Running r;
        synchronized (this) {
            r = streams.remove(id);
        }
        if (r == null) return false;
        r.context.requestStop();
        r.worker.exchange().unregister(r.context);
        try {
            // every wait of the decoder (FFmpeg's open, read and seek, pacing, back-off) polls the stop flag
            r.decoder.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (r.decoder.isAlive()) LOG.warnf("stream %s: decoder still running at its stop deadline", id);
        // the recording's queued frames get what is left of the time; its writer finishes the rest on its own thread
        r.sink.close((deadlineNanos - System.nanoTime()) / 1_000_000);
        r.context.meters().remove();
        if (r.context.state().active()) r.context.state(StreamState.STOPPED, null);
        return true;
    }

    public Optional<StreamContext> stream(String id) {
        Running r = streams.get(id);
        return r == null ? Optional.empty() : Optional.of(r.context);
    }

    public Collection<StreamContext> streams() {
        return streams.values().stream()
                .map(Running::context)
                .sorted(java.util.Comparator.comparing(StreamContext::id))
                .toList();
    }

    /** The stream's live view, or empty when there is no such stream. */
    public Optional<PreviewFrame> preview(String id) {
        Running r = streams.get(id);
        return r == null ? Optional.empty() : Optional.of(r.sink.preview());
    }

    /** Where the stream is being recorded, if it is. */
    public Optional<Path> recording(String id) {
        Running r = streams.get(id);
        return r == null ? Optional.empty() : r.sink.recording();
    }

    @Override
    public void close() {
        controlTimer.shutdownNow();
        // stop every decoder first, so they wind down together within one second rather than one after another
        long deadline = System.nanoTime() + 1_000_000_000L;
        for (Running r : streams.values()) r.context.requestStop();
        for (String id : streams.keySet()) remove(id, deadline);
        for (Worker w : workers.values()) w.stage().stop();
        for (Worker w : workers.values()) {
            try {
                w.thread().join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
