package ai.emadaptive.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.metrics.MetricNames;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream at stride 3 through the real pipeline: one frame in three is inferred, the others carry its result, in order. */
class ResultReuseTest {
    @TempDir
    Path dir;

    @Test
    void atStrideThreeTwoFramesInThreeCarryTheLastInferredResult() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("c.mp4"), 3.0, 320, 240, 21);
        List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long reusedCounted, inferredCounted;
        try (Pipeline p = new Pipeline(
                StreamingFixtures.routedModel(5),
                PipelineSettings.defaults(),
                registry,
                new SourcePolicy(Set.of("file"), List.of(dir)),
                results::add)) {
            // as fast as possible, so no frame is dropped and the pattern is exact
            StreamContext s = p.add(StreamSpec.of("s", clip.toString()).withRealtime(false));
            s.stride(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> s.state() == StreamState.ENDED && s.inFlight() == 0);
            assertEquals(0, s.droppedCount());
            assertEquals(s.decodedCount(), results.size(), "every decoded frame comes out, reused or not");
            reusedCounted = (long) registry.get(MetricNames.REUSED)
                    .tag(MetricNames.STREAM, "s")
                    .counter()
                    .count();
            inferredCounted = (long) registry.get(MetricNames.FRAMES).tag(MetricNames.STREAM, "s").counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum();
        }
        List<FrameResult> r = new ArrayList<>(results);
        assertEquals(90, r.size());
        assertTrue(!r.get(0).reused(), "the first frame has nothing to reuse");
        FrameResult last = null;
        int run = 0, reused = 0, fullRuns = 0;
        for (int i = 0; i < r.size(); i++) {
            FrameResult f = r.get(i);
            assertEquals(i, f.frame(), "frames leave in order");
            if (f.reused()) {
                reused++;
                run++;
                assertTrue(run <= 2, "at stride 3 at most two frames in a row reuse a result, frame " + i);
                assertEquals(last.label(), f.label(), "frame " + i + " carries the last inferred label");
                assertEquals(last.exit(), f.exit());
                assertEquals(last.confidence(), f.confidence());
                assertEquals(0, f.cost(), "and costs no network compute");
                assertEquals(0, f.stageMs()[2], "no inference time");
            } else {
                if (run == 2) fullRuns++;
                run = 0;
                last = f;
                assertTrue(f.cost() > 0);
            }
        }
        // the decoder runs a few frames ahead of the first result, then the pattern is exact
        assertTrue(reused >= 54, "about two thirds reused: " + reused + " of 90");
        assertTrue(fullRuns >= 27, "inferred frames two apart: " + fullRuns);
        assertEquals(reused, reusedCounted, "emadaptive_reused_frames_total");
        assertEquals(r.size() - reused, inferredCounted, "emadaptive_frames_total counts the inferred frames");
    }

    @Test
    void aStrideBelowOneIsRefused() {
        StreamContext s = new StreamContext(
                StreamSpec.of("a", "file:/x.mp4"), null, 1.0, List.of("a", "b"), TaskType.SINGLE_LABEL);
        assertThrows(IllegalArgumentException.class, () -> s.stride(0));
        assertTrue(!s.reuseNext(), "stride 1: every frame inferred");
    }
}
