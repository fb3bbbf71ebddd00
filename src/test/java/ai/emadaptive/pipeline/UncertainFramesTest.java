package ai.emadaptive.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.artifact.EmbeddedModel;
import ai.emadaptive.ingest.SourcePolicy;
import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.ingest.StreamState;
import ai.emadaptive.metrics.MetricNames;
import ai.emadaptive.output.FrameResult;
import ai.emadaptive.output.OverlayRenderer;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded model's uncertain flag in the real pipeline: a blank scope (flat grey frames, encoded and decoded by
 * FFmpeg) is uncertain on every frame, in the result events, the overlay and the counter; the generated sample clip
 * the model knows is not.
 */
class UncertainFramesTest {
    @TempDir
    Path dir;

    @Test
    void aBlankScopeIsUncertainEverywhereAndAKnownSceneIsNot() throws Exception {
        Path blank = StreamingFixtures.plainClip(
                dir.resolve("blank.mp4"), "mp4", avcodec.AV_CODEC_ID_H264, avutil.AV_PIX_FMT_YUV420P, 320, 240, 30);
        Path known = Path.of("sample-videos", "clear-dissection.mp4").toAbsolutePath();
        List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicInteger amber = new AtomicInteger(), overlaid = new AtomicInteger();
        double blankCount, knownCount;
        long knownFrames;
        try (Pipeline p = new Pipeline(
                Map.of(Pipeline.DEFAULT_MODEL, EmbeddedModel.read()),
                PipelineSettings.defaults(),
                registry,
                new SourcePolicy(Set.of("file"), List.of(dir, known.getParent())),
                results::add)) {
            StreamContext b = p.add(StreamSpec.of("blank", blank.toString()).withRealtime(false));
            b.observer(f -> {
                // line 1 of the panel in the uncertain colour (amber: red and green high, blue low), not white
                int[] panel = OverlayRenderer.panel(f.width, f.height);
                int n = 0;
                for (int y = panel[1]; y < panel[1] + 3 * panel[0]; y++) {
                    for (int x = panel[0]; x < panel[0] + panel[2]; x++) {
                        int i = (y * f.width + x) * 3;
                        int bl = f.bgr()[i] & 0xff, g = f.bgr()[i + 1] & 0xff, r = f.bgr()[i + 2] & 0xff;
                        if (r > 200 && g > 140 && bl < 90) n++;
                    }
                }
                overlaid.incrementAndGet();
                if (n > 20) amber.incrementAndGet();
            });
            StreamContext k = p.add(StreamSpec.of("known", known.toString()).withRealtime(false));
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> b.state() == StreamState.ENDED
                            && b.inFlight() == 0
                            && k.state() == StreamState.ENDED
                            && k.inFlight() == 0);
            knownFrames = k.processedCount();
            blankCount = registry.get(MetricNames.UNCERTAIN)
                    .tag(MetricNames.STREAM, "blank")
                    .counter()
                    .count();
            knownCount = registry.get(MetricNames.UNCERTAIN)
                    .tag(MetricNames.STREAM, "known")
                    .counter()
                    .count();
            String scrape = registry.scrape();
            assertTrue(
                    scrape.contains("emadaptive_uncertain_frames_total{stream=\"blank\",} 30.0"),
                    "the Prometheus name: "
                            + scrape.lines()
                                    .filter(l -> l.contains("uncertain"))
                                    .toList());
        }
        List<FrameResult> blankResults =
                results.stream().filter(r -> r.stream().equals("blank")).toList();
        assertEquals(30, blankResults.size());
        assertTrue(blankResults.stream().allMatch(FrameResult::uncertain), "every blank frame is uncertain");
        assertEquals(30, blankCount, 0);
        assertTrue(
                overlaid.get() > 0 && amber.get() == overlaid.get(),
                amber + " of " + overlaid + " overlays say UNCERTAIN in amber");
        long certain = results.stream()
                .filter(r -> r.stream().equals("known") && !r.uncertain())
                .count();
        assertTrue(
                certain >= 0.95 * knownFrames,
                certain + " of " + knownFrames + " frames of a clip the model knows are certain");
        assertEquals(knownFrames - certain, knownCount, 0);
    }
}
