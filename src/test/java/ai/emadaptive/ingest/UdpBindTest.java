package ai.emadaptive.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.emadaptive.pipeline.Pipeline;
import ai.emadaptive.pipeline.PipelineSettings;
import ai.emadaptive.support.StreamingFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A UDP source's socket is bound to the address its URL names, not to every interface: {@code udp://127.0.0.1:port}
 * listens on the loopback only (read from the kernel's own table of UDP sockets).
 */
class UdpBindTest {
    private static final Path UDP_TABLE = Path.of("/proc/net/udp");

    /** The local address (hex, as the kernel lists it) of the socket bound to {@code port}, if any. */
    private static Optional<String> boundTo(int port) {
        String suffix = String.format(Locale.ROOT, ":%04X", port);
        List<String> table;
        try {
            table = Files.readAllLines(UDP_TABLE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return table.stream()
                .skip(1)
                .map(l -> l.trim().split("\\s+")[1])
                .filter(local -> local.endsWith(suffix))
                .findFirst()
                .map(local -> local.substring(0, local.indexOf(':')));
    }

    @Test
    void aLoopbackUrlListensOnTheLoopbackOnly() throws Exception {
        assumeTrue(Files.isReadable(UDP_TABLE), "no /proc/net/udp on this system");
        int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        try (Pipeline pipeline = new Pipeline(
                StreamingFixtures.routedModel(3),
                PipelineSettings.defaults(),
                new SimpleMeterRegistry(),
                new SourcePolicy(Set.of("udp"), List.of(), HostPolicy.only("127.0.0.1")),
                null)) {
            pipeline.add(StreamSpec.of("cam", "udp://127.0.0.1:" + port));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertTrue(boundTo(port).isPresent(), () -> "no socket on port " + port));
            assertEquals("0100007F", boundTo(port).orElseThrow(), "bound to 127.0.0.1, not 0.0.0.0 (00000000)");
        }
        assertEquals("127.0.0.1", StreamDecoder.unicastHost("udp://127.0.0.1:1234"));
        assertNull(StreamDecoder.unicastHost("udp://239.0.0.1:1234"), "a multicast group is joined as FFmpeg does");
        assertNull(StreamDecoder.unicastHost("udp://0.0.0.0:1234"));
        assertNull(StreamDecoder.unicastHost("udp://@:1234"));
    }
}
