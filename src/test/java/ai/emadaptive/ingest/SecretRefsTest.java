package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials by reference: resolved from the secrets folder only when opening, kept as references everywhere else. */
class SecretRefsTest {
    @TempDir
    Path dir;

    @Test
    void referencesResolveFromTheSecretsFolderOnlyWhenOpening() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(
                secrets.resolve("or1-password"), "p@ss w/rd:1\n"); // as `echo` writes it: the newline is not part of it
        Files.writeString(dir.resolve("outside"), "not a secret");
        SourcePolicy policy = new SourcePolicy(
                Set.of("rtsp"), List.of(), HostPolicy.defaults(), new SecretRefs(Optional.of(secrets)));
        String url = "rtsp://op:{secret:or1-password}@192.0.2.10:554/live";
        SourceUrl src = policy.check(url);
        assertEquals(url, src.original(), "what is stored and shown keeps the reference");
        assertEquals(url, src.input());
        assertEquals(
                "rtsp://op:p%40ss%20w%2Frd%3A1@192.0.2.10:554/live",
                policy.openable(src), "resolved, percent-encoded, for FFmpeg only");
        Files.writeString(secrets.resolve("or1-password"), "rotated");
        assertEquals(
                "rtsp://op:rotated@192.0.2.10:554/live",
                policy.openable(src),
                "a rotated secret is read at the next open");

        for (String bad : List.of(
                "rtsp://op:{secret:missing}@192.0.2.10/live",
                "rtsp://op:{secret:../outside}@192.0.2.10/live",
                "rtsp://op:{secret:}@192.0.2.10/live")) {
            String m = assertThrows(SourceRejectedException.class, () -> policy.check(bad))
                    .getMessage();
            assertFalse(m.contains("not a secret"), m);
            assertTrue(m.contains("secret"), m);
        }
        SourcePolicy without = new SourcePolicy(Set.of("rtsp"), List.of(), HostPolicy.defaults());
        assertTrue(assertThrows(SourceRejectedException.class, () -> without.check(url))
                .getMessage()
                .contains("no secrets folder is configured"));
        // the host is judged on the resolved URL: a secret cannot smuggle in a refused host
        Files.writeString(secrets.resolve("host"), "127.0.0.1");
        assertThrows(SourceRejectedException.class, () -> policy.check("rtsp://{secret:host}:554/live"));
    }
}
