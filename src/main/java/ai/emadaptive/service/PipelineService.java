package ai.emadaptive.service;

import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.ingest.HostPolicy;
import ai.emadaptive.ingest.SecretRefs;
import ai.emadaptive.ingest.Secrets;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamDecoder;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.scaleout.StreamAssignments;
import ai.emadaptive.scaleout.StreamDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Broadcast;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/** Builds the {@link Pipeline} from config when the model loaded, starts the configured streams, stops on shutdown. */
@Startup
@ApplicationScoped
public class PipelineService {
    private static final Logger LOG = Logger.getLogger(PipelineService.class);

    private final Pipeline pipeline;
    private StreamAssignments assignments;
    private StreamDirectory directory;

    PipelineService(
            ModelHolder models,
            ServiceConfig config,
            MeterRegistry registry,
            @Channel(Channels.FRAME_RESULTS)
                    @Broadcast
                    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                    Emitter<FrameResult> results) {
        if (models.artifact().isEmpty()) {
            pipeline = null;
            return;
        }
        ServiceConfig.Pipeline p = config.pipeline();
        PipelineSettings settings = settings(config);
        SourcePolicy policy = new SourcePolicy(
                config.sources().allowedSchemes(),
                config.sources().allowedDirs(),
                new HostPolicy(config.sources().allowedHosts().orElse(List.of()), PipelineService::ownPorts),
                new SecretRefs(config.sources().secretsDir()));
        p.recordingsRetention().ifPresent(keep -> retention = pruneEvery(p.recordings(), keep));
        java.util.Map<String, ai.emadaptive.artifact.ModelArtifact> all = new java.util.LinkedHashMap<>();
        all.put(Pipeline.DEFAULT_MODEL, models.artifact().get());
        all.putAll(models.named());
        pipeline = new Pipeline(all, settings, registry, policy, r -> send(results, r));
        ServiceConfig.ScaleOut so = config.scaleOut();
        if (so.enabled()) {
            String instance = System.getenv()
                    .getOrDefault(
                            "HOSTNAME", "instance-" + ProcessHandle.current().pid());
            try {
                StreamDirectory.ensureTopic(so.bootstrapServers(), so.topic(), so.partitions());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ex) {
                LOG.errorf("scale-out: %s", ex.getMessage());
            }
            directory = new StreamDirectory(so.bootstrapServers(), so.topic());
            assignments = new StreamAssignments(
                            pipeline,
                            so.bootstrapServers(),
                            so.topic(),
                            so.group(),
                            instance,
                            java.time.Duration.ofMillis(so.sessionTimeoutMs()),
                            java.time.Duration.ofMillis(Math.max(so.sessionTimeoutMs(), 30_000)))
                    .start();
            LOG.infof(
                    "scale-out on: streams come from topic %s (group %s) at %s",
                    so.topic(), so.group(), so.bootstrapServers());
        }
        for (Map.Entry<String, ServiceConfig.Stream> e : config.streams().entrySet()) {
            ServiceConfig.Stream s = e.getValue();
            try {
                StreamSpec spec = StreamSpec.of(e.getKey(), s.url())
                        .withModel(s.model().orElse(null))
                        .withLambda(s.lambda().orElse(null))
                        .withRealtime(s.realtime())
                        .withLoop(s.loop())
                        .withRecord(s.record())
                        .withAdaptive(s.adaptive());
                if (directory != null) {
                    directory.put(spec); // the cluster decides which instance runs it
                } else {
                    pipeline.add(spec);
                }
                LOG.infof("stream %s from config: %s", e.getKey(), Secrets.redact(s.url()));
            } catch (Exception ex) {
                LOG.errorf("stream %s from config not started: %s", e.getKey(), Secrets.redact(ex.getMessage()));
            }
        }
    }

    private static void send(Emitter<FrameResult> emitter, FrameResult r) {
        try {
            emitter.send(r);
        } catch (RuntimeException e) {
            // Overflow or no subscriber yet: the frame itself was processed; the event is best effort here.
        }
    }

    /** The cluster's stream list when scale-out is on: the API writes streams there instead of starting them here. */
    public Optional<StreamDirectory> directory() {
        return Optional.ofNullable(directory);
    }

    /** The pipeline, or empty when no model is loaded. */
    public Optional<Pipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    /** Deletes recordings older than {@code keep} now and then every hour (or tenth of {@code keep}, when shorter). */
    /**
     * The ports this service answers HTTP on; no source may point back at them (it would ingest its own MJPEG). Asked
     * at each check: Quarkus publishes a port chosen at random (port 0) as a system property once it listens.
     */
    private static java.util.Set<Integer> ownPorts() {
        org.eclipse.microprofile.config.Config c = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        boolean test = io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.TEST;
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (String key : test
                ? List.of("quarkus.http.test-port", "quarkus.http.test-ssl-port")
                : List.of("quarkus.http.port", "quarkus.http.ssl-port")) {
            String live = System.getProperty(key);
            try {
                ports.add(
                        live != null
                                ? Integer.parseInt(live)
                                : c.getOptionalValue(key, Integer.class).orElse(defaultPort(key)));
            } catch (NumberFormatException e) {
                ports.add(defaultPort(key));
            }
        }
        return ports;
    }

    private static int defaultPort(String key) {
        return switch (key) {
            case "quarkus.http.test-port" -> 8081;
            case "quarkus.http.test-ssl-port" -> 8444;
            case "quarkus.http.ssl-port" -> 8443;
            default -> 8080;
        };
    }

    private static java.util.concurrent.ScheduledExecutorService pruneEvery(
            java.nio.file.Path dir, java.time.Duration keep) {
        var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "recording-retention");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, Math.min(keep.toSeconds() / 10, 3600));
        executor.scheduleAtFixedRate(
                () -> {
                    try {
                        var deleted = ai.emadaptive.output.RecordingRetention.prune(dir, keep, java.time.Instant.now());
                        if (!deleted.isEmpty())
                            LOG.infof("deleted %d recordings older than %s from %s", deleted.size(), keep, dir);
                    } catch (Exception e) {
                        LOG.warnf("recording retention in %s: %s", dir, e.toString());
                    }
                },
                0,
                period,
                java.util.concurrent.TimeUnit.SECONDS);
        LOG.infof("recordings in %s are kept for %s", dir, keep);
        return executor;
    }

    private java.util.concurrent.ScheduledExecutorService retention;

    void stop(@Observes ShutdownEvent event) {
        if (retention != null) retention.shutdownNow();
        try {
            if (assignments != null) assignments.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (directory != null) directory.close();
        if (pipeline != null) pipeline.close();
    }

    /** The pipeline's settings from the service's configuration (all defaults: {@link PipelineSettings#defaults()}). */
    static PipelineSettings settings(ServiceConfig config) {
        ServiceConfig.Pipeline p = config.pipeline();
        ServiceConfig.Control c = config.control();
        ControlSettings law = ControlSettings.of(c.budgetMs(), c.high(), c.low(), c.calmTicks())
                .withReuse(c.maxStride(), c.reuseFirst());
        return new PipelineSettings(
                p.maxBatch(),
                p.maxWaitMs(),
                p.maxStreams(),
                p.previewFps(),
                p.recordings(),
                StreamDecoder.Settings.of(
                        p.ioTimeoutMs(), p.backoffMs(), p.maxBackoffMs(), p.maxReconnects(), p.decodeThreads()),
                law,
                c.tickMs(),
                c.maxLambda(),
                p.inferenceThreads(),
                p.backend());
    }
}
