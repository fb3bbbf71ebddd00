package ai.emadaptive.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.bench.FaultBenchmark;
import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.StreamingFixtures;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An allowed HTTP source that redirects: to an allowed host it plays; to a host the policy refuses, not one frame of
 * it is used and the stream says why (FFmpeg follows redirects itself, so where it ended is judged after the open).
 */
class RedirectPolicyTest {
    @TempDir
    Path dir;

    @Test
    void aRedirectToARefusedHostIsNotPlayed() throws Exception {
        Path ts = dir.resolve("clip.ts");
        FaultBenchmark.toTransportStream(StreamingFixtures.clip(dir.resolve("clip.mp4"), 2.0, 160, 120, 5), ts);
        byte[] video = Files.readAllBytes(ts);
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/live.ts", ex -> {
            ex.getResponseHeaders().add("Content-Type", "video/mp2t");
            ex.sendResponseHeaders(200, video.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(video);
            }
        });
        HttpServer front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        front.createContext("/cam.ts", ex -> {
            ex.getResponseHeaders()
                    .add("Location", "http://127.0.0.1:" + target.getAddress().getPort() + "/live.ts");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        target.start();
        front.start();
        String url = "http://127.0.0.1:" + front.getAddress().getPort() + "/cam.ts";
        String frontOnly = "127.0.0.1:" + front.getAddress().getPort(), both = "127.0.0.1";
        try {
            try (Pipeline p = pipeline(HostPolicy.only(frontOnly))) {
                StreamContext s = p.add(StreamSpec.of("refused", url));
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertTrue(
                                s.lastError() != null && s.lastError().contains("redirects to a refused host"),
                                () -> s.state() + " " + s.lastError()));
                assertEquals(0, s.processedCount(), "nothing from the refused host was used");
                assertTrue(s.state() != StreamState.RUNNING);
            }
            try (Pipeline p = pipeline(HostPolicy.only(both))) {
                StreamContext s = p.add(StreamSpec.of("allowed", url));
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(
                                () -> assertTrue(s.processedCount() > 10, () -> s.state() + " " + s.lastError()));
            }
        } finally {
            front.stop(0);
            target.stop(0);
        }
    }

    private Pipeline pipeline(HostPolicy hosts) {
        return new Pipeline(
                StreamingFixtures.routedModel(3),
                PipelineSettings.defaults(),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("http"), List.of(), hosts),
                null);
    }
}
