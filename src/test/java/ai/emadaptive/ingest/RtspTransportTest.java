package ai.emadaptive.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RTSP from a real server (GStreamer's gst-rtsp-server from Debian's packages, which {@code .ci/run} installs) that
 * offers only one lower transport: a UDP-only server, which refuses RTSP over TCP, is played over UDP after one
 * refused attempt; a TCP-only one over TCP at once. Either way the stream runs again soon after the server comes
 * back from an outage, and a DELETE ends it at once.
 */
class RtspTransportTest {
    private static final Path SERVER = Path.of("src/test/resources/rtsp-server.py");

    static boolean serverAvailable() {
        try {
            Process p = new ProcessBuilder(
                            "/usr/bin/python3",
                            "-c",
                            "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Process start(int port, String transports) throws Exception {
        Process server = new ProcessBuilder("/usr/bin/python3", SERVER.toString(), Integer.toString(port), transports)
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream()));
        assertEquals("ready", out.readLine(), "the RTSP server started");
        return server;
    }

    @Test
    void aUdpOnlyServerIsPlayedOverUdpAndATcpOnlyOneOverTcp() throws Exception {
        assumeTrue(serverAvailable(), "GStreamer's RTSP server is not installed (.ci/run installs it)");
        try (Pipeline pipeline = new Pipeline(
                StreamingFixtures.routedModel(3),
                PipelineSettings.defaults(),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("rtsp"), List.of(), HostPolicy.only("127.0.0.1")),
                null)) {
            for (String transports : List.of("udp", "tcp")) {
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                Process server = start(port, transports);
                try {
                    StreamContext s =
                            pipeline.add(StreamSpec.of("cam-" + transports, "rtsp://127.0.0.1:" + port + "/live"));
                    await().atMost(Duration.ofSeconds(30))
                            .untilAsserted(() -> assertTrue(
                                    s.state() == StreamState.RUNNING && s.processedCount() > 15,
                                    () -> transports + ": " + s.state() + " " + s.lastError()));
                    assertEquals(320, s.width());
                    // the camera goes away for 3 s and comes back: running again soon after, over the transport it
                    // takes
                    server.destroyForcibly().waitFor();
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertTrue(
                                    s.state() == StreamState.RECONNECTING, () -> transports + ": " + s.state()));
                    Thread.sleep(3000);
                    server = start(port, transports);
                    long back = System.nanoTime();
                    long before = s.processedCount();
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertTrue(
                                    s.state() == StreamState.RUNNING && s.processedCount() > before,
                                    () -> transports + " after the outage: " + s.state() + " " + s.lastError()));
                    double again = (System.nanoTime() - back) / 1e9;
                    System.out.printf(
                            "RtspTransportTest: RTSP over %s running again %.2f s after the server came back%n",
                            transports, again);
                    assertTrue(again < 4, transports + ": running again " + again + " s after the server came back");
                    long t0 = System.nanoTime();
                    assertTrue(pipeline.remove(s.id()));
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    assertTrue(seconds < 1, transports + ": removed in " + seconds + " s");
                } finally {
                    server.destroyForcibly().waitFor();
                }
            }
        }
    }
}
