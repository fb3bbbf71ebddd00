package ai.emadaptive.service;

import java.util.Map;
import java.util.Optional;

import ai.emadaptive.control.ControlSettings;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamDecoder;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.smallrye.reactive.messaging.annotations.Broadcast;
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

    PipelineService(ModelHolder models, ServiceConfig config, MeterRegistry registry,
                    @Channel(Channels.FRAME_RESULTS) @Broadcast @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) Emitter<FrameResult> results) {
        if (models.artifact().isEmpty()) {
            pipeline = null;
            return;
        }
        ServiceConfig.Pipeline p = config.pipeline();
        ServiceConfig.Control c = config.control();
        ControlSettings law = new ControlSettings(c.budgetMs(), c.high(), c.low(), 1.5, 0.25, 0.7, c.calmTicks(), 0.005);
        PipelineSettings settings = new PipelineSettings(p.maxBatch(), p.maxWaitMs(), p.maxStreams(), p.previewFps(),
                p.recordings(), new StreamDecoder.Settings(8, p.ioTimeoutMs() * 1000, p.backoffMs(), p.maxBackoffMs(), p.maxReconnects()),
                law, c.tickMs(), c.maxLambda());
        SourcePolicy policy = new SourcePolicy(config.sources().allowedSchemes(), config.sources().allowedDirs());
        java.util.Map<String, ai.emadaptive.artifact.ModelArtifact> all = new java.util.LinkedHashMap<>();
        all.put(Pipeline.DEFAULT_MODEL, models.artifact().get());
        all.putAll(models.named());
        pipeline = new Pipeline(all, settings, registry, policy, r -> send(results, r));
        for (Map.Entry<String, ServiceConfig.Stream> e : config.streams().entrySet()) {
            ServiceConfig.Stream s = e.getValue();
            try {
                pipeline.add(new StreamSpec(e.getKey(), s.url(), s.model().orElse(null), s.lambda().orElse(null), s.realtime(), s.loop(), s.record(), s.adaptive()));
                LOG.infof("stream %s started from config: %s", e.getKey(), s.url());
            } catch (RuntimeException ex) {
                LOG.errorf("stream %s from config not started: %s", e.getKey(), ex.getMessage());
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

    /** The pipeline, or empty when no model is loaded. */
    public Optional<Pipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    void stop(@Observes ShutdownEvent event) {
        if (pipeline != null) pipeline.close();
    }

}
