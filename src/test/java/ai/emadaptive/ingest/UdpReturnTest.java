package ai.emadaptive.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.pipeline.StreamContext;
import ai.emadaptive.support.Executables;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UDP MPEG-TS feed (Debian's ffmpeg sending in real time) that stops for longer than the I/O timeout and starts
 * again: the stream says it stalled, then runs again soon after the sender is back.
 */
class UdpReturnTest {
    @TempDir
    Path dir;

    @Test
    void aUdpFeedBackAfterAnOutageRunsAgainWithinSeconds() throws Exception {
        assumeTrue(Executables.onPath("ffmpeg"), "Debian's ffmpeg is not installed (.ci/run installs it)");
        Path clip = StreamingFixtures.clip(dir.resolve("clip.mp4"), 2.0, 320, 240, 12);
        int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "udp://127.0.0.1:" + port;
        PipelineSettings d = PipelineSettings.defaults();
        PipelineSettings settings =
                d.withRecordings(dir.resolve("rec")).withDecoder(d.decoder().withIoTimeoutMicros(2_000_000));
        try (Pipeline pipeline = new Pipeline(
                StreamingFixtures.routedModel(3),
                settings,
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("udp"), List.of(), HostPolicy.only("127.0.0.1")),
                null)) {
            StreamContext s = pipeline.add(StreamSpec.of("udp", url));
            Process sender = send(clip, url);
            try {
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertTrue(
                                s.state() == StreamState.RUNNING && s.processedCount() > 15,
                                () -> s.state() + " " + s.lastError()));
                sender.destroyForcibly().waitFor();
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertTrue(
                                s.lastError() != null && s.lastError().contains("source stalled"),
                                () -> s.state() + " " + s.lastError()));
                Thread.sleep(3000); // a long outage: several 2 s waits for data have run out meanwhile
                long before = s.processedCount();
                sender = send(clip, url);
                long back = System.nanoTime();
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertTrue(
                                s.state() == StreamState.RUNNING && s.processedCount() > before,
                                () -> s.state() + " " + s.lastError()));
                double seconds = (System.nanoTime() - back) / 1e9;
                System.out.printf("UdpReturnTest: UDP feed running again %.2f s after the sender came back%n", seconds);
                assertTrue(seconds < 4, "running again " + seconds + " s after the sender came back");
            } finally {
                sender.destroyForcibly().waitFor();
            }
        }
    }

    private static Process send(Path clip, String url) throws Exception {
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
                        url + "?pkt_size=1316")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
