package ai.emadaptive.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.ingest.GroundTruth;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.metrics.MetricNames;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.output.OverlayRenderer;
import ai.emadaptive.support.StreamingFixtures;
import ai.emadaptive.support.ToolFixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-label tool model and a single-label model side by side in the real pipeline, on real encoded clips: result
 * events list exactly the present tools, the overlay draws them, the tool counters count, and a multi-label sidecar
 * gives exact-match and per-tool live accuracy.
 */
class ToolPresenceTest {
    /** Sidecar tool sets, frame i has PATTERN[i % 4] (except every tenth, which names a tool the model lacks). */
    static final String[] PATTERN = {"grasper;clipper", "grasper", "", "hook;Grasper;clipper"};
    /** The model says grasper and clipper on every frame: of the 4 tools, so many decisions are right per pattern. */
    static final int[] RIGHT = {4, 3, 2, 3};

    static final List<List<String>> PATTERN_TOOLS = List.of(
            List.of("grasper", "clipper"), List.of("grasper"), List.of(), List.of("grasper", "hook", "clipper"));

    @TempDir
    Path dir;

    @Test
    void toolsFlowToEventsOverlayCountersAndLiveAccuracy() throws Exception {
        Path tools = StreamingFixtures.clip(dir.resolve("tools.mp4"), 2.0, 320, 240, 9);
        Path plain = StreamingFixtures.clip(dir.resolve("plain.mp4"), 1.0, 320, 240, 10);
        int frames = StreamingFixtures.countFrames(tools);
        List<String> sidecar = new ArrayList<>(List.of("frame,pts_ms,tools"));
        for (int i = 0; i < frames; i++)
            sidecar.add(
                    i + "," + Math.round(i * 1000 / 30.0) + "," + (i % 10 == 9 ? "grasper;bipolar" : PATTERN[i % 4]));
        Files.write(GroundTruth.sidecar(tools), sidecar);

        List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicInteger overlaid = new AtomicInteger(), textPixels = new AtomicInteger();
        String scrape, scrapeAfter;
        double exactMatch, perTool, exactGauge, toolGauge;
        long plainDecoded;
        try (Pipeline p = new Pipeline(
                Map.of(Pipeline.DEFAULT_MODEL, StreamingFixtures.routedModel(5), "tools", ToolFixtures.toolModel(3)),
                PipelineSettings.defaults(),
                registry,
                new SourcePolicy(Set.of("file"), List.of(dir)),
                results::add)) {
            StreamContext t = p.add(
                    StreamSpec.of("t", tools.toString()).withModel("tools").withRealtime(false));
            t.stride(3); // reused frames carry the tools too
            t.observer(f -> {
                // white text on line 1 of the panel: the tool list was drawn
                int[] panel = OverlayRenderer.panel(f.width, f.height);
                int n = 0;
                for (int y = panel[1]; y < panel[1] + 3 * panel[0]; y++) {
                    for (int x = panel[0]; x < panel[0] + panel[2]; x++) {
                        int i = (y * f.width + x) * 3;
                        if ((f.bgr()[i] & 0xff) > 200 && (f.bgr()[i + 1] & 0xff) > 200 && (f.bgr()[i + 2] & 0xff) > 200)
                            n++;
                    }
                }
                overlaid.incrementAndGet();
                textPixels.set(n);
            });
            StreamContext s = p.add(StreamSpec.of("s", plain.toString()).withRealtime(false));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> t.state() == StreamState.ENDED
                            && t.inFlight() == 0
                            && s.state() == StreamState.ENDED
                            && s.inFlight() == 0);
            assertEquals(0, t.droppedCount());
            assertEquals(frames, t.processedCount());
            plainDecoded = s.processedCount();
            exactMatch = t.accuracy();
            perTool = t.toolAccuracy();
            exactGauge = registry.get(MetricNames.ACCURACY)
                    .tag(MetricNames.STREAM, "t")
                    .gauge()
                    .value();
            toolGauge = registry.get(MetricNames.TOOL_ACCURACY)
                    .tag(MetricNames.STREAM, "t")
                    .gauge()
                    .value();
            assertTrue(Double.isNaN(s.toolAccuracy()), "a single-label stream has no per-tool accuracy");
            scrape = registry.scrape();
            p.remove("t");
            scrapeAfter = registry.scrape();
        }

        // live accuracy, by hand: the model always says {grasper, clipper}; frames naming bipolar are unknown
        int known = 0, exact = 0, right = 0;
        for (int i = 0; i < frames; i++) {
            if (i % 10 == 9) continue;
            known++;
            if (i % 4 == 0) exact++;
            right += RIGHT[i % 4];
        }
        assertTrue(exactMatch > 0.2 && exactMatch < 0.3 && perTool > 0.7 && perTool < 0.8, exactMatch + " " + perTool);
        assertEquals((double) exact / known, exactMatch, 1e-12, "exact match of the tool set");
        assertEquals((double) right / (4 * known), perTool, 1e-12, "share of (frame, tool) decisions right");
        assertEquals(exactMatch, exactGauge, 1e-12, MetricNames.ACCURACY);
        assertEquals(perTool, toolGauge, 1e-12, MetricNames.TOOL_ACCURACY);

        // result events: exactly the present tools, most probable first, each at or above its threshold
        List<FrameResult> t =
                results.stream().filter(r -> r.stream().equals("t")).toList();
        List<FrameResult> s =
                results.stream().filter(r -> r.stream().equals("s")).toList();
        assertEquals(frames, t.size());
        assertTrue(t.stream().anyMatch(FrameResult::reused) && t.stream().anyMatch(r -> !r.reused()));
        for (FrameResult r : t) {
            assertEquals(
                    List.of("grasper", "clipper"),
                    r.tools().stream().map(FrameResult.Tool::name).toList(),
                    "frame " + r.frame());
            for (FrameResult.Tool tool : r.tools()) {
                int c = ToolFixtures.TOOLS.indexOf(tool.name());
                assertEquals(ToolFixtures.probability(c), tool.probability(), 1e-6);
                assertTrue(tool.probability() >= ToolFixtures.THRESHOLDS[c]);
            }
            assertEquals("grasper", r.label());
            assertEquals(ToolFixtures.probability(0), r.confidence(), 1e-6);
            int i = (int) r.frame();
            assertEquals(i % 10 == 9 ? null : PATTERN_TOOLS.get(i % 4), r.truthTools(), "frame " + i);
        }
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(t.get(0)));
        assertEquals("grasper", json.get("tools").get(0).get("name").asText());
        assertEquals(
                ToolFixtures.probability(0),
                json.get("tools").get(0).get("probability").floatValue(),
                1e-6);
        assertTrue(json.get("truthTools").isArray());
        assertEquals(plainDecoded, s.size());
        for (FrameResult r : s) {
            assertNull(r.tools(), "single-label: the answer is the label");
            assertNull(r.truthTools());
        }

        // the overlay drew line 1
        assertTrue(overlaid.get() > 0);
        assertTrue(textPixels.get() > 50, "tool text on line 1: " + textPixels.get() + " white pixels");

        // tool counters: every frame calls grasper and clipper present, never hook or irrigator
        assertTrue(
                scrape.contains(
                        "# HELP emadaptive_tool_present_frames_total Frames in which the tool was called present"),
                scrape);
        assertEquals(frames, counter(scrape, "t", "grasper"), 1e-9);
        assertEquals(frames, counter(scrape, "t", "clipper"), 1e-9);
        assertEquals(0, counter(scrape, "t", "hook"), 1e-9);
        assertEquals(0, counter(scrape, "t", "irrigator"), 1e-9);
        // single-label: the label's class, so over the classes they add up to the frames
        for (String c : StreamingFixtures.routedModel(5).manifest().classes()) {
            assertEquals(s.stream().filter(r -> r.label().equals(c)).count(), counter(scrape, "s", c), 1e-9, c);
        }
        assertTrue(scrape.contains("emadaptive_stream_tool_accuracy_ratio{stream=\"t\""));
        assertFalse(
                scrapeAfter.contains("emadaptive_tool_present_frames_total{stream=\"t\""), "removed with the stream");
    }

    /** The value of the stream's tool counter in a Prometheus scrape; fails when there is none. */
    private static double counter(String scrape, String stream, String tool) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith("emadaptive_tool_present_frames_total{")
                    && line.contains("stream=\"" + stream + "\"")
                    && line.contains("tool=\"" + tool + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no emadaptive_tool_present_frames_total for " + stream + "/" + tool);
    }
}
