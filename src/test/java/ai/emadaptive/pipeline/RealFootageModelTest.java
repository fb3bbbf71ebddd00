package ai.emadaptive.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.artifact.ArtifactReader;
import ai.emadaptive.artifact.ModelArtifact;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.metrics.MetricNames;
import ai.emadaptive.model.TaskType;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-footage model shipped beside the product (docs/results/real-lapchole/model.zip) in the real pipeline: it
 * loads as a multi-label tool model with routers and an uncertainty calibration; generated scenes (the product's own
 * sample clip) and a blank scope are far from its real training frames and come out uncertain; a real clip of a
 * video it did not train on (from ../shared, skipped when absent) comes out mostly certain, with its tools, routed
 * over several exits.
 */
class RealFootageModelTest {
    static final Path MODEL = Path.of("docs", "results", "real-lapchole", "model.zip");
    static final Path REAL_CLIPS = Path.of("..", "shared", "datasets", "real-lapchole", "clips")
            .toAbsolutePath()
            .normalize();
    /** A clip of VID25, a video the model did not train on: grasper and hook in view throughout. */
    static final String TEST_CLIP = "hook-dissect-cystic-duct-vid25-f471.mp4";

    static ModelArtifact model;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        model = ArtifactReader.read(MODEL);
    }

    @Test
    void theArtifactIsAMultiLabelToolModelWithRoutersAndUncertainty() {
        assertEquals(TaskType.MULTI_LABEL, model.manifest().task());
        assertTrue(
                model.manifest().classes().containsAll(List.of("grasper", "hook")),
                model.manifest().classes().toString());
        assertNotNull(model.manifest().routers(), "EM routers fitted");
        assertNotNull(model.manifest().uncertainty(), "uncertainty calibrated");
        assertNotNull(model.manifest().thresholdArray(), "per-tool thresholds");
    }

    /** Runs the clips through a pipeline on the real model; results by stream, and each stream's uncertain counter at the end. */
    private static Map<String, List<FrameResult>> run(
            Map<String, Path> clips, List<Path> dirs, Map<String, Double> uncertainCounted) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
        try (Pipeline p = new Pipeline(
                Map.of(Pipeline.DEFAULT_MODEL, model),
                PipelineSettings.defaults(),
                registry,
                new SourcePolicy(Set.of("file"), dirs),
                results::add)) {
            List<StreamContext> streams = new ArrayList<>();
            for (var c : clips.entrySet()) {
                streams.add(
                        p.add(StreamSpec.of(c.getKey(), c.getValue().toString()).withRealtime(false)));
            }
            await().atMost(Duration.ofSeconds(240))
                    .until(() -> streams.stream().allMatch(s -> s.state() == StreamState.ENDED && s.inFlight() == 0));
            for (String id : clips.keySet()) {
                uncertainCounted.put(
                        id,
                        registry.get(MetricNames.UNCERTAIN)
                                .tag(MetricNames.STREAM, id)
                                .counter()
                                .count());
            }
        }
        Map<String, List<FrameResult>> by = new java.util.TreeMap<>();
        for (FrameResult r : results)
            by.computeIfAbsent(r.stream(), k -> new ArrayList<>()).add(r);
        return by;
    }

    @Test
    void generatedScenesAndABlankScopeAreUncertainForIt() throws Exception {
        Path blank = StreamingFixtures.plainClip(
                dir.resolve("blank.mp4"), "mp4", avcodec.AV_CODEC_ID_H264, avutil.AV_PIX_FMT_YUV420P, 320, 240, 30);
        Path generated = Path.of("sample-videos", "clear-dissection.mp4").toAbsolutePath();
        Map<String, Double> counted = new java.util.HashMap<>();
        Map<String, List<FrameResult>> by =
                run(Map.of("blank", blank, "generated", generated), List.of(dir, generated.getParent()), counted);
        assertEquals(30, by.get("blank").size());
        assertTrue(by.get("blank").stream().allMatch(FrameResult::uncertain), "every blank frame is uncertain");
        List<FrameResult> gen = by.get("generated");
        long flagged = gen.stream().filter(FrameResult::uncertain).count();
        assertTrue(
                flagged >= 0.9 * gen.size(),
                flagged + " of " + gen.size() + " generated frames are uncertain for the real model");
        assertEquals(flagged, counted.get("generated"), 0, "emadaptive_uncertain_frames_total counts them");
        assertEquals(30, counted.get("blank"), 0);
    }

    @Test
    void aRealClipOfAnUnseenVideoIsMostlyCertainWithItsToolsAndRouted() throws Exception {
        Path clip = REAL_CLIPS.resolve(TEST_CLIP);
        assumeTrue(
                Files.isRegularFile(clip),
                "the shared real footage is not at " + REAL_CLIPS + ": real-clip check skipped");
        List<FrameResult> real = run(Map.of("real", clip), List.of(REAL_CLIPS), new java.util.HashMap<>())
                .get("real");
        assertEquals(800, real.size(), "every frame of the 32 s clip");
        long certain = real.stream().filter(r -> !r.uncertain()).count();
        assertTrue(certain >= 0.8 * real.size(), certain + " of " + real.size() + " real frames are certain");
        long hook = real.stream()
                .filter(r -> !r.uncertain()
                        && r.tools().stream().anyMatch(t -> t.name().equals("hook")))
                .count();
        assertTrue(
                hook >= 0.6 * certain,
                "the hook, in view throughout, is found on " + hook + " of " + certain + " certain frames");
        long exits = real.stream().mapToInt(FrameResult::exit).distinct().count();
        assertTrue(exits >= 2, "EM routing sends frames to more than one exit: " + exits);
        double cost = real.stream().mapToDouble(FrameResult::cost).average().orElse(1);
        assertTrue(cost < 1, "and saves compute: mean cost " + cost);
    }
}
