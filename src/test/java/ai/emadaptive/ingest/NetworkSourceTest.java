package ai.emadaptive.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.Executables;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live network source served by a real server process (Debian's ffmpeg streaming MPEG-TS over HTTP, which
 * {@code .ci/run} installs): the stream runs, survives the server dying (reconnecting with backoff) and resumes
 * when it comes back.
 */
class NetworkSourceTest {
    @TempDir
    Path dir;

    @Test
    void httpMpegTsStreamReconnectsAfterTheServerDies() throws Exception {
        assumeTrue(Executables.onPath("ffmpeg"), "Debian's ffmpeg is not installed (.ci/run installs it)");
        Path clip = StreamingFixtures.clip(dir.resolve("live.mp4"), 2.0, 320, 240, 9);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/live.ts";
        PipelineSettings d = PipelineSettings.defaults();
        PipelineSettings settings = new PipelineSettings(
                4,
                2,
                4,
                15,
                dir.resolve("rec"),
                d.decoder(),
                d.control(),
                d.tickMillis(),
                d.maxLambda(),
                1,
                d.backend());
        Process server = serve(clip, url);
        try (Pipeline pipeline = new Pipeline(
                StreamingFixtures.routedModel(3),
                settings,
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("http"), List.of(), HostPolicy.only("127.0.0.1")),
                null)) {
            StreamContext s = pipeline.add(StreamSpec.of("cam", url));
            assertEquals(SourceKind.NETWORK, s.source().kind());
            await().atMost(Duration.ofSeconds(40))
                    .untilAsserted(() ->
                            assertTrue(s.state() == StreamState.RUNNING && s.processedCount() > 15, () -> state(s)));
            assertEquals(320, s.width());

            server.destroyForcibly().waitFor();
            await().atMost(Duration.ofSeconds(40))
                    .untilAsserted(() -> assertTrue(s.state() == StreamState.RECONNECTING, () -> state(s)));
            assertTrue(s.lastError() != null && !s.lastError().isBlank(), "the drop is explained: " + s.lastError());

            // a long outage: the backoff grows to its ceiling meanwhile
            Thread.sleep(6000);
            long before = s.processedCount();
            server = serve(clip, url);
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(40))
                    .untilAsserted(() -> assertTrue(s.state() == StreamState.RUNNING, () -> state(s)));
            double seconds = (System.nanoTime() - back) / 1e9;
            System.out.printf(
                    "NetworkSourceTest: RUNNING again %.2f s after the server came back from a 6 s outage%n", seconds);
            // the default backoff tops out at 0.5 s: a source back after a long outage is not left waiting
            assertTrue(seconds < 4, "back within seconds of the server: " + seconds);
            await().atMost(Duration.ofSeconds(40))
                    .untilAsserted(() -> assertTrue(s.processedCount() > before + 15, () -> state(s)));
            assertEquals(null, s.lastError(), "running again: the outage's error is cleared");
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    /** ffmpeg as an HTTP server: loops the clip in real time as MPEG-TS to the client that connects. */
    private static Process serve(Path clip, String url) throws Exception {
        return new ProcessBuilder(
                        "ffmpeg",
                        "-nostdin",
                        "-loglevel",
                        "error",
                        "-re",
                        "-stream_loop",
                        "-1",
                        "-i",
                        clip.toString(),
                        "-c",
                        "copy",
                        "-f",
                        "mpegts",
                        "-listen",
                        "1",
                        url)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static String state(StreamContext s) {
        return "state " + s.state() + ", processed " + s.processedCount() + ", error " + s.lastError();
    }
}
