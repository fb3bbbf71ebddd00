package ai.emadaptive.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.StreamingFixtures;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that opens slowly (an HTTP server that answers, then sends one MPEG-TS packet every 2 s, so FFmpeg's open
 * neither completes nor times out by a socket timeout) holds up only its own stream: another stream added meanwhile
 * starts and plays, and the slow one is removed at once, its open interrupted.
 */
class SlowSourceIsolationTest {
    @TempDir
    Path dir;

    @Test
    void aTricklingSourceDoesNotHoldUpAnotherStreamsStart() throws Exception {
        Path clip = StreamingFixtures.clip(dir.resolve("clip.mp4"), 1.0, 160, 120, 3);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        CountDownLatch connected = new CountDownLatch(1), done = new CountDownLatch(1);
        server.createContext("/slow.ts", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, 0);
            connected.countDown();
            byte[] packet = new byte[188];
            packet[0] = 0x47; // a TS sync byte and nothing useful after it
            try (OutputStream out = exchange.getResponseBody()) {
                while (!done.await(2, TimeUnit.SECONDS)) {
                    out.write(packet);
                    out.flush();
                }
            } catch (Exception ignored) {
                // the client went away
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/slow.ts";
        try (Pipeline pipeline = new Pipeline(
                StreamingFixtures.routedModel(3),
                PipelineSettings.defaults(),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("http", "file"), List.of(dir), HostPolicy.only("127.0.0.1")),
                null)) {
            StreamContext slow = pipeline.add(StreamSpec.of("slow", url));
            assertTrue(connected.await(20, TimeUnit.SECONDS), "FFmpeg connected to the trickling server");
            Thread.sleep(500); // FFmpeg is now inside its open, reading the trickle
            long t0 = System.nanoTime();
            StreamContext file =
                    pipeline.add(StreamSpec.of("file", clip.toString()).withRealtime(false));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertTrue(
                            file.state() == StreamState.ENDED && file.inFlight() == 0,
                            () -> "file " + file.state() + ", slow " + slow.state()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(StreamState.STARTING, slow.state(), "the slow source is still opening");
            assertTrue(file.processedCount() > 0, "the other stream played its frames");
            assertTrue(seconds < 10, "and was not held up by the slow open: " + seconds + " s");
            long r0 = System.nanoTime();
            assertTrue(pipeline.remove("slow"));
            double removal = (System.nanoTime() - r0) / 1e9;
            assertTrue(
                    removal < 1, "removing the stream does not wait for FFmpeg's open to give up: " + removal + " s");
            assertTrue(pipeline.stream("slow").isEmpty());
            assertTrue(
                    SourceDamageTest.decoderThreadGone("slow"),
                    "the open was interrupted: no thread outlives its stream");
        } finally {
            done.countDown();
            server.stop(0);
        }
    }
}
