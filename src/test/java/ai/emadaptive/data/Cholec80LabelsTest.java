package ai.emadaptive.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.emadaptive.data.Cholec80Labels.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cholec80LabelsTest {
    private static final byte P = ImageSet.PRESENT, A = ImageSet.ABSENT;
    private static final String TOOLS = "Frame\tGrasper\tBipolar\tHook\tScissors\tClipper\tIrrigator\tSpecimenBag\n";

    @TempDir
    Path dir;

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    /** Videos are never decoded here: an empty placeholder is enough. */
    private void video(String name) throws Exception {
        write(name, "");
    }

    private String error(Kind kind) {
        return assertThrows(DataException.class, () -> Cholec80Labels.read(dir, kind, 1))
                .getMessage();
    }

    @Test
    void toolRowsOfAllVideosInNameOrderWithNormalisedHeader() throws Exception {
        video("video02.mp4");
        video("video01.mp4");
        write("video01-tool.txt", TOOLS + "0\t1\t0\t0\t0\t0\t0\t0\n25\t1\t0\t1\t0\t0\t0\t0\n50\t0\t0\t0\t0\t0\t0\t0\n");
        write("video02-tool.txt", TOOLS + "0\t0\t0\t0\t0\t0\t0\t1\r\n\n25\t0\t1\t0\t0\t0\t0\t1\r\n");
        FrameLabels f = Cholec80Labels.read(dir, Kind.TOOL, 25);
        assertTrue(f.multiLabel());
        assertEquals(
                List.of("grasper", "bipolar", "hook", "scissors", "clipper", "irrigator", "specimen_bag"), f.classes());
        assertEquals(5, f.frames().size());
        LabelledFrame second = f.frames().get(1);
        assertEquals(dir.resolve("video01.mp4"), second.source());
        assertEquals(25, second.frameIndex());
        assertArrayEquals(new byte[] {P, A, P, A, A, A, A}, second.targets());
        assertArrayEquals(new byte[] {A, A, A, A, A, A, A}, f.frames().get(2).targets());
        LabelledFrame last = f.frames().get(4);
        assertEquals(dir.resolve("video02.mp4"), last.source());
        assertEquals(25, last.frameIndex());
        assertArrayEquals(new byte[] {A, P, A, A, A, A, P}, last.targets());
        assertArrayEquals(new int[] {2, 1, 1, 0, 0, 0, 2}, f.presentCounts());
        assertEquals(
                "5 frames, grasper 2, bipolar 1, hook 1, scissors 0, clipper 0, irrigator 0, specimen_bag 2, no tool 1",
                f.describe());
    }

    @Test
    void phasesEveryNthFrameWithClassesSortedAlphabetically() throws Exception {
        video("video01.mp4");
        video("video02.mp4");
        StringBuilder one = new StringBuilder("Frame\tPhase\n");
        for (int i = 0; i < 6; i++)
            one.append(i)
                    .append('\t')
                    .append(i < 3 ? "Preparation" : "CalotTriangleDissection")
                    .append('\n');
        write("video01-phase.txt", one.toString());
        write(
                "video02-phase.txt",
                "Frame\tPhase\n0\tPreparation\n1\tPreparation\n2\tGallbladderPackaging\n3\tGallbladderPackaging\n4\tGallbladderPackaging\n");
        FrameLabels f = Cholec80Labels.read(dir, Kind.PHASE, 2);
        assertFalse(f.multiLabel());
        assertEquals(List.of("calot_triangle_dissection", "gallbladder_packaging", "preparation"), f.classes());
        assertEquals(
                List.of(0, 2, 4, 0, 2, 4),
                f.frames().stream().map(LabelledFrame::frameIndex).toList());
        assertArrayEquals(new byte[] {A, A, P}, f.frames().get(1).targets());
        assertArrayEquals(new byte[] {P, A, A}, f.frames().get(2).targets());
        assertArrayEquals(new byte[] {A, P, A}, f.frames().get(5).targets());
        assertEquals(dir.resolve("video02.mp4"), f.frames().get(5).source());
        assertArrayEquals(new int[] {1, 2, 3}, f.presentCounts());
        assertEquals("6 frames, calot_triangle_dissection 1, gallbladder_packaging 2, preparation 3", f.describe());
        assertEquals(11, Cholec80Labels.read(dir, Kind.PHASE, 1).frames().size());
    }

    @Test
    void mismatchedToolHeadersNameTheFile() throws Exception {
        video("video01.mp4");
        video("video02.mp4");
        write("video01-tool.txt", TOOLS + "0\t1\t0\t0\t0\t0\t0\t0\n");
        write("video02-tool.txt", "Frame\tGrasper\tHook\n0\t1\t0\n");
        assertEquals(
                "video02-tool.txt:1: tools [Grasper, Hook] differ from video01-tool.txt's "
                        + "[Grasper, Bipolar, Hook, Scissors, Clipper, Irrigator, SpecimenBag]",
                error(Kind.TOOL));
    }

    @Test
    void malformedToolAndPhaseRowsNameFileAndLine() throws Exception {
        video("video01.mp4");
        write("video01-tool.txt", TOOLS + "0\t1\t0\t0\t0\t0\t0\t0\n25\t1\t0\t0\t0\t0\t0\n");
        assertEquals("video01-tool.txt:3: expected 8 columns as in the header, got 7", error(Kind.TOOL));
        write("video01-tool.txt", TOOLS + "0\t1\t0\t0\t0\t0\t0\t0\n25\t1\t0\t2\t0\t0\t0\t0\n");
        assertEquals("video01-tool.txt:3: Hook is '2', not 0 or 1", error(Kind.TOOL));
        write("video01-tool.txt", TOOLS + "0\t1\t0\t0\t0\t0\t0\t0\n0\t1\t0\t0\t0\t0\t0\t0\n");
        assertEquals("video01-tool.txt:3: frame 0 does not follow frame 0 (frames must increase)", error(Kind.TOOL));
        write("video01-tool.txt", "Grasper\tHook\n");
        assertEquals(
                "video01-tool.txt:1: expected a header Frame<TAB><tool>..., got 'Grasper\tHook'", error(Kind.TOOL));

        write("video01-phase.txt", "Frame\tPhase\n0\tPreparation\n2\tPreparation\n1\tPreparation\n");
        assertEquals("video01-phase.txt:4: frame 1 does not follow frame 2 (frames must increase)", error(Kind.PHASE));
        write("video01-phase.txt", "Frame\tPhase\nx\tPreparation\n");
        assertEquals("video01-phase.txt:2: frame 'x' is not a whole number", error(Kind.PHASE));
        write("video01-phase.txt", "Frame\tPhase\n0\tPreparation\textra\n");
        assertEquals("video01-phase.txt:2: expected 2 columns (frame, phase), got 3", error(Kind.PHASE));
    }

    @Test
    void missingLabelFilesAndVideosAreClearErrors() throws Exception {
        assertEquals(dir + ": no .mp4 videos (Cholec80's videos/ folder has video01.mp4 ...)", error(Kind.TOOL));
        video("video01.mp4");
        assertEquals(dir.resolve("video01-tool.txt") + ": missing (the tool labels of video01.mp4)", error(Kind.TOOL));
        assertEquals(
                dir.resolve("video01-phase.txt") + ": missing (the phase labels of video01.mp4)", error(Kind.PHASE));
    }
}
