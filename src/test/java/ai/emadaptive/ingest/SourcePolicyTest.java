package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcePolicyTest {
    @TempDir
    Path dir;

    private SourcePolicy policy(Path... roots) {
        return new SourcePolicy(Set.of("file", "rtsp", "http", "udp", "v4l2"), List.of(roots));
    }

    @Test
    void filesInsideAllowedFoldersOnly() throws Exception {
        Path videos = Files.createDirectories(dir.resolve("videos"));
        Path clip = Files.writeString(videos.resolve("a.mp4"), "x");
        Path secret = Files.writeString(dir.resolve("secret.mp4"), "x");
        SourcePolicy p = policy(videos);
        SourceUrl ok = p.check(clip.toString());
        assertEquals(SourceKind.FILE, ok.kind());
        assertEquals(clip.toRealPath(), ok.file());
        assertEquals(clip.toRealPath(), p.check("file://" + clip).file());
        String escape = videos + "/../secret.mp4";
        assertTrue(assertThrows(SourceRejectedException.class, () -> p.check(escape))
                .getMessage()
                .contains("outside"));
        assertTrue(assertThrows(SourceRejectedException.class, () -> p.check(secret.toString()))
                .getMessage()
                .contains("outside"));
        // a link inside the folder that points out of it is judged by its target
        Path link = Files.createSymbolicLink(videos.resolve("link.mp4"), secret);
        assertTrue(assertThrows(SourceRejectedException.class, () -> p.check(link.toString()))
                .getMessage()
                .contains("outside"));
        assertTrue(assertThrows(
                        SourceRejectedException.class,
                        () -> p.check(videos.resolve("none.mp4").toString()))
                .getMessage()
                .contains("not found"));
        assertTrue(assertThrows(SourceRejectedException.class, () -> p.check(videos.toString()))
                .getMessage()
                .contains("not a regular file"));
        assertTrue(assertThrows(SourceRejectedException.class, () -> policy().check(clip.toString()))
                .getMessage()
                .contains("disabled"));
    }

    @Test
    void schemesFromTheAllowList() {
        SourcePolicy p = policy(dir);
        assertEquals(SourceKind.NETWORK, p.check("rtsp://192.0.2.10:8554/or1").kind());
        assertEquals(SourceKind.NETWORK, p.check("udp://@:1234").kind());
        SourceUrl cam = p.check("v4l2:///dev/video0");
        assertEquals(SourceKind.DEVICE, cam.kind());
        assertEquals("/dev/video0", cam.input());
        assertEquals("video4linux2", cam.format());
        assertTrue(assertThrows(SourceRejectedException.class, () -> p.check("rtmp://x/y"))
                .getMessage()
                .contains("not allowed"));
        assertTrue(assertThrows(SourceRejectedException.class, () -> p.check("ftp://x/y"))
                .getMessage()
                .contains("not allowed"));
        assertThrows(SourceRejectedException.class, () -> p.check("v4l2:///etc/passwd"));
        assertThrows(SourceRejectedException.class, () -> p.check("http:///nohost"));
        assertThrows(SourceRejectedException.class, () -> p.check(" "));
    }
}
