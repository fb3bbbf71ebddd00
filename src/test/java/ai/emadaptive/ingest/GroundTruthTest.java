package ai.emadaptive.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {
    @Test
    void readsTheSidecarBesideAClip(@TempDir Path dir) throws Exception {
        Path clip = Files.writeString(dir.resolve("c.mp4"), "");
        Files.write(
                dir.resolve("c.csv"),
                List.of("frame,pts_ms,class,smoke", "0,0,grasper,0", "1,33.3,hook,2", "2,66.7,unknown,0"));
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

    static final List<String> TOOLS = List.of("grasper", "hook", "clipper", "irrigator");

    @Test
    void readsAToolsColumnAsABitmaskInTheModelsClassOrder(@TempDir Path dir) throws Exception {
        Path clip = Files.writeString(dir.resolve("t.mp4"), "");
        Files.write(
                dir.resolve("t.csv"),
                List.of(
                        "frame,pts_ms,tools",
                        "0,0,grasper;clipper",
                        "1,33,",
                        "2,67,Hook ; grasper",
                        "3,100,grasper;bipolar",
                        "5,167,irrigator"));
        GroundTruth t = GroundTruth.beside(clip, TOOLS);
        assertTrue(t.multiLabel());
        assertEquals(0b0101, t.mask(0));
        assertEquals(0, t.mask(1), "an empty cell: no tool");
        assertEquals(0b0011, t.mask(2), "names ignore case and spaces");
        assertEquals(-1, t.mask(3), "a tool the model does not know: unknown");
        assertEquals(-1, t.mask(4), "no row");
        assertEquals(0b1000, t.mask(5));
        assertEquals(-1, t.mask(6), "beyond the sidecar");
        assertEquals(-1, t.label(0), "no class column");
        assertEquals(6, t.frames());
    }

    @Test
    void readsOneZeroOneColumnPerClassLikeCholec80sToolFiles(@TempDir Path dir) throws Exception {
        Path clip = Files.writeString(dir.resolve("v.mp4"), "");
        Files.write(
                dir.resolve("v.csv"),
                List.of(
                        "Frame\tGrasper\tBipolar\tHook\tClipper\tIrrigator",
                        "0\t1\t0\t0\t0\t0",
                        "25\t1\t1\t1\t0\t1",
                        "50\t0\t0\t0\t0\t0",
                        "75\t1\t0\t?\t0\t0"));
        GroundTruth t = GroundTruth.beside(clip, TOOLS);
        assertTrue(t.multiLabel());
        assertEquals(0b0001, t.mask(0));
        assertEquals(0b1011, t.mask(25), "columns the model lacks (bipolar) are ignored");
        assertEquals(0, t.mask(50));
        assertEquals(-1, t.mask(75), "a cell other than 0/1: unknown");
        assertEquals(-1, t.mask(1), "frames between the annotated ones are unknown");

        // Cholec80's CamelCase column names match the model's classes as the label formats match them
        Files.write(dir.resolve("s.csv"), List.of("Frame\tGrasper\tSpecimenBag", "0\t0\t1"));
        GroundTruth bag =
                GroundTruth.beside(Files.writeString(dir.resolve("s.mp4"), ""), List.of("grasper", "specimen_bag"));
        assertEquals(0b10, bag.mask(0));

        Files.write(dir.resolve("w.csv"), List.of("frame,grasper,hook,clipper", "0,1,0,1"));
        assertEquals(
                null,
                GroundTruth.beside(dir.resolve("w.mp4"), TOOLS),
                "a class without its column, no class or tools column");
    }

    @Test
    void aSingleLabelSidecarHasNoToolSets(@TempDir Path dir) throws Exception {
        Path clip = Files.writeString(dir.resolve("s.mp4"), "");
        Files.write(dir.resolve("s.csv"), List.of("frame,class", "0,hook"));
        GroundTruth t = GroundTruth.beside(clip, TOOLS);
        assertFalse(t.multiLabel());
        assertEquals(1, t.label(0));
        assertEquals(-1, t.mask(0));
    }
}
