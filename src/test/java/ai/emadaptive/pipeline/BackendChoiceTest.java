package ai.emadaptive.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.engine.InferenceBackend;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.model.ModelSpec;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clip through the pipeline on each backend: ONNX Runtime, chosen by configuration, routes every frame as the
 * engine does (same exits, labels and confidences to float tolerance), since both stop at the routers' exit.
 */
class BackendChoiceTest {
    @TempDir
    Path dir;

    @Test
    void onnxRuntimeRoutesEveryFrameAsTheEngineDoes() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("c.mp4"), 2.0, 320, 240, 8);
        Map<String, FrameResult> engine = run(clip, InferenceBackend.ENGINE);
        Map<String, FrameResult> ort = run(clip, InferenceBackend.ONNX_RUNTIME);
        assertEquals(120, engine.size(), "both streams' frames");
        assertEquals(engine.keySet(), ort.keySet());
        Set<Integer> exits = new TreeSet<>();
        for (Map.Entry<String, FrameResult> e : engine.entrySet()) {
            FrameResult a = e.getValue(), b = ort.get(e.getKey());
            assertEquals(a.exit(), b.exit(), e.getKey() + " leaves at the same exit");
            if (e.getKey().startsWith("deep/"))
                assertEquals(ModelSpec.STAGES, a.exit(), e.getKey() + " obeys its pin from the first frame");
            assertEquals(a.label(), b.label(), e.getKey());
            assertEquals(a.confidence(), b.confidence(), 1e-3, e.getKey());
            exits.add(a.exit());
        }
        assertTrue(exits.contains(4) && exits.size() > 1, "frames left at several exits: " + exits);
    }

    /** Two streams of the clip: one routed, one pinned at the last exit, so batches mix rows that leave early and late. */
    private Map<String, FrameResult> run(Path clip, InferenceBackend backend) throws Exception {
        Map<String, FrameResult> results = new ConcurrentHashMap<>();
        try (Pipeline p = new Pipeline(
                StreamingFixtures.routedModel(5),
                PipelineSettings.defaults().withRecordings(dir.resolve("rec")).withBackend(backend),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("file"), List.of(dir)),
                f -> results.put(f.stream() + "/" + f.frame(), f))) {
            // as fast as possible: every frame is inferred (none dropped), the same frames on both backends
            StreamContext routed =
                    p.add(StreamSpec.of("routed", clip.toString()).withRealtime(false));
            // pinned in its spec, so that its first frame, inferred before add returns, already leaves at exit 4
            StreamContext deep = p.add(
                    StreamSpec.of("deep", clip.toString()).withRealtime(false).withPinnedExit(ModelSpec.STAGES));
            for (StreamContext s : List.of(routed, deep)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> s.state() == StreamState.ENDED && s.inFlight() == 0);
                assertEquals(0, s.droppedCount(), backend + " dropped frames of " + s.id());
            }
        }
        return results;
    }
}
