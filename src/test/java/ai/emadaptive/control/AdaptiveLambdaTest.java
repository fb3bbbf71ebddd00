package ai.emadaptive.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.metrics.MetricNames;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real streams over a latency budget they cannot meet: the controller raises their lambda, then their stride; fixed
 * streams keep theirs.
 */
class AdaptiveLambdaTest {
    @TempDir
    Path dir;

    @Test
    void twoStreamsOverATightBudgetRaiseLambda() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("c.mp4"), 2.0, 320, 240, 8);
        // 0.05 ms: no frame can meet it, so every control period sees pressure
        PipelineSettings settings = PipelineSettings.defaults()
                .withControl(ControlSettings.defaults(0.05).withReuse(3, false), 100, 8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Pipeline p = new Pipeline(
                StreamingFixtures.routedModel(5),
                settings,
                registry,
                new SourcePolicy(Set.of("file"), List.of(dir)),
                null)) {
            double floor = p.defaultLambda();
            StreamContext a =
                    p.add(StreamSpec.of("a", clip.toString()).withLoop(true).withAdaptive(true));
            StreamContext b =
                    p.add(StreamSpec.of("b", clip.toString()).withLoop(true).withAdaptive(true));
            StreamContext fixed =
                    p.add(StreamSpec.of("f", clip.toString()).withLambda(0.5).withLoop(true));
            assertEquals(floor, a.lambda(), "adaptive streams start at the accuracy-optimal lambda");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.lambda() > floor && b.lambda() > floor);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> p.control(Pipeline.DEFAULT_MODEL).controller().state()
                            == LambdaController.State.AT_CEILING);
            assertEquals(8, a.lambda(), 1e-9, "pinned at the ceiling");
            assertEquals(3, a.stride(), "and then inferring one frame in three");
            assertEquals(3, b.stride());
            assertEquals(1, fixed.stride(), "a fixed stream infers every frame");
            await().atMost(Duration.ofSeconds(10)).until(() -> reused(registry, "a") > 0);
            assertEquals(0, reused(registry, "f"), "a fixed stream reuses nothing");
            assertEquals(a.lambda(), b.lambda(), "the node's streams share one lambda");
            assertEquals(0.5, fixed.lambda(), "a fixed stream is left alone");
            assertTrue(p.control(Pipeline.DEFAULT_MODEL).lastP95() > 0.05);

            // leaving adaptive mode restores a fixed lambda
            p.adaptive("a", false, 1.5);
            Thread.sleep(300); // more than a control tick: a controller still holding the stream would have moved it
            assertEquals(1.5, a.lambda());
            assertEquals(1, a.stride(), "and every frame inferred");
        }
    }

    private static double reused(SimpleMeterRegistry registry, String stream) {
        return registry.get(MetricNames.REUSED)
                .tag(MetricNames.STREAM, stream)
                .counter()
                .count();
    }
}
