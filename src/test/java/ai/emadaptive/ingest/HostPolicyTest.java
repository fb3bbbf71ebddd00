package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Address literals only (192.0.2.0/24 and 198.51.100.0/24 are documentation blocks): no DNS in these tests. */
class HostPolicyTest {
    private static String refusal(HostPolicy p, String url) {
        return assertThrows(SourceRejectedException.class, () -> p.check(url)).getMessage();
    }

    @Test
    void byDefaultAnyHostButThisMachinesOwnAndLinkLocal() {
        HostPolicy p = HostPolicy.defaults();
        assertDoesNotThrow(() -> p.check("rtsp://192.0.2.10:8554/or1"));
        assertDoesNotThrow(() -> p.check("http://10.1.2.3/live.ts"));
        for (String url : List.of(
                "http://127.0.0.1:9000/x",
                "rtsp://127.7.7.7/x",
                "http://[::1]:8080/q/metrics",
                "http://0.0.0.0:80/",
                "http://169.254.169.254/latest/meta-data/",
                "http://[fe80::1]/",
                "http://[::ffff:127.0.0.1]/x",
                "udp://127.0.0.1:5000")) {
            assertEquals(
                    "host '" + host(url) + "' is not an allowed source host (emadaptive.sources.allowed-hosts)",
                    refusal(p, url),
                    url);
        }
        // numeric forms FFmpeg's resolver reads as 127.0.0.1 (octal, hex, one number, short) are refused, not misjudged
        for (String url : List.of(
                "http://0177.0.0.1/x",
                "http://0x7f.1/x",
                "http://2130706433/x",
                "http://127.1/x",
                "http://010.1.2.3/x")) {
            refusal(p, url);
        }
        // a name not (yet) in DNS may be added, to be judged when the stream connects; at connect it is refused like
        // any
        assertDoesNotThrow(() -> p.check("rtsp://no-such-camera.invalid/or1", false));
        assertEquals(
                "host 'no-such-camera.invalid' is not an allowed source host (emadaptive.sources.allowed-hosts)",
                refusal(p, "rtsp://no-such-camera.invalid/or1"));
        assertThrows(
                SourceRejectedException.class,
                () -> HostPolicy.only("10.0.0.0/8").check("rtsp://no-such-camera.invalid/or1", false));
        assertDoesNotThrow(() -> HostPolicy.only("*.invalid").check("rtsp://no-such-camera.invalid/or1", false));
        // listening on every interface or joining a multicast group is not a connection to anyone
        assertDoesNotThrow(() -> p.check("udp://@:1234"));
        assertDoesNotThrow(() -> p.check("udp://239.1.1.1:1234"));
        assertDoesNotThrow(() -> p.check("udp://0.0.0.0:1234"));
    }

    @Test
    void entriesNameHostsPatternsBlocksAndPorts() {
        HostPolicy p = new HostPolicy(
                List.of("10.20.0.0/16", "192.0.2.7", "127.0.0.1:8554", "*.cams.example", "[fd00::]/8"), Set.of());
        assertDoesNotThrow(() -> p.check("rtsp://10.20.3.4/or1"));
        assertDoesNotThrow(() -> p.check("rtsp://192.0.2.7/or1"));
        assertDoesNotThrow(() -> p.check("rtsp://[fd12::5]:554/or1"));
        assertDoesNotThrow(() -> p.check("rtsp://127.0.0.1:8554/or1"));
        refusal(p, "rtsp://10.21.0.1/or1");
        refusal(p, "rtsp://192.0.2.8/or1");
        refusal(p, "rtsp://127.0.0.1:8555/or1"); // the entry names one port
        refusal(p, "http://127.0.0.1/or1");
        refusal(p, "udp://@:1234"); // with entries, listening everywhere must be listed too
        assertThrows(IllegalArgumentException.class, () -> HostPolicy.only("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> HostPolicy.only("cams_example"));
        assertThrows(IllegalArgumentException.class, () -> HostPolicy.only("host:http"));
    }

    @Test
    void loopbackOnlyWhenAnEntryNamesItAndNeverByWildcard() {
        assertDoesNotThrow(() -> HostPolicy.only("127.0.0.0/8").check("http://127.0.0.2:9000/x"));
        assertDoesNotThrow(() -> HostPolicy.only("[::1]").check("http://[::1]:9000/x"));
        refusal(
                HostPolicy.only("0.0.0.0/0"),
                "http://192.0.2.1/x".replace("192.0.2.1", "169.254.169.254")); // a catch-all is not a name
        assertDoesNotThrow(() -> HostPolicy.only("0.0.0.0/0").check("http://192.0.2.1/x"));
    }

    @Test
    void theServicesOwnPortIsRefusedOnItsAddressesUnlessListedWithThatPort() {
        HostPolicy p = new HostPolicy(List.of("127.0.0.1"), Set.of(8080));
        assertDoesNotThrow(() -> p.check("http://127.0.0.1:9000/live.ts"));
        refusal(p, "http://127.0.0.1:8080/api/streams/a/mjpeg");
        refusal(new HostPolicy(List.of(), Set.of(80)), "http://0.0.0.0/"); // no port: the scheme's default
        assertDoesNotThrow(
                () -> new HostPolicy(List.of("127.0.0.1:8080"), Set.of(8080)).check("http://127.0.0.1:8080/x"));
        assertDoesNotThrow(
                () -> new HostPolicy(List.of(), Set.of(8080)).check("http://192.0.2.1:8080/x")); // someone else's 8080
    }

    private static String host(String url) {
        String h = java.net.URI.create(url).getHost();
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }
}
