package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Credentials in source URLs, and in messages that quote them, are replaced; the rest of the text stays. */
class SecretsTest {
    @Test
    void userInfoAndSecretParametersAreReplaced() {
        assertEquals("rtsp://***@cam.local:554/or1", Secrets.redact("rtsp://user:pass@cam.local:554/or1"));
        assertEquals("rtsp://***@cam/x", Secrets.redact("rtsp://admin@cam/x"));
        assertEquals(
                "could not open rtsp://***@10.0.0.5/stream: Connection refused",
                Secrets.redact("could not open rtsp://op%40or:p@ss:w@10.0.0.5/stream: Connection refused"));
        assertEquals(
                "https://host/live.ts?token=***&fmt=ts", Secrets.redact("https://host/live.ts?token=abc123&fmt=ts"));
        assertEquals(
                "srt://host:9000?mode=caller&passphrase=x&pwd=***",
                Secrets.redact("srt://host:9000?mode=caller&passphrase=x&pwd=hunter2"));
        assertEquals("/data/case-01.mp4", Secrets.redact("/data/case-01.mp4"));
        assertEquals("user@example: no URL here", Secrets.redact("user@example: no URL here"));
        assertNull(Secrets.redact(null));
    }
}
