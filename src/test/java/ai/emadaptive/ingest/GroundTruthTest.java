package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {
    @Test
    void readsTheSidecarBesideAClip(@TempDir Path dir) throws Exception {
        Path clip = Files.writeString(dir.resolve("c.mp4"), "");
        Files.write(dir.resolve("c.csv"), List.of("frame,pts_ms,class,smoke", "0,0,grasper,0", "1,33.3,hook,2", "2,66.7,unknown,0"));
        GroundTruth t = GroundTruth.beside(clip, List.of("none", "grasper", "hook"));
        assertEquals(3, t.frames());
        assertEquals(1, t.label(0));
        assertEquals(2, t.label(1));
        assertEquals(-1, t.label(2), "a class the model does not know");
        assertEquals(-1, t.label(7), "beyond the sidecar");
        assertArrayEquals(new int[] {0, 2, 0}, t.column("smoke"));
        assertThrows(IllegalArgumentException.class, () -> t.column("fog"));
        assertNull(GroundTruth.beside(dir.resolve("other.mp4"), List.of("none")));
        Files.write(dir.resolve("bad.csv"), List.of("a,b", "1,2"));
        assertNull(GroundTruth.beside(dir.resolve("bad.mp4"), List.of("none")), "no frame/class columns");
    }
}
