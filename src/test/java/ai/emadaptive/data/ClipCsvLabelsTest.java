package ai.emadaptive.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipCsvLabelsTest {
    private static final byte P = ImageSet.PRESENT, U = ImageSet.UNKNOWN;

    @TempDir
    Path dir;

    private Path csv(String text) throws Exception {
        return Files.writeString(dir.resolve("clips.csv"), text);
    }

    private void clips(String... names) throws Exception {
        for (String n : names) {
            Path p = dir.resolve(n);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "");
        }
    }

    private String error(Path csv, String column, String split) {
        return assertThrows(DataException.class, () -> ClipCsvLabels.read(csv, column, split))
                .getMessage();
    }

    @Test
    void theSplitsAreTheSplitColumnsValues() throws Exception {
        Path with = csv("file,class,split\na.mp4,hook,train\nb.mp4,grasper,\"val\"\nc.mp4,hook,train\n");
        assertEquals(List.of("train", "val"), ClipCsvLabels.splits(with));
        Path without = Files.writeString(dir.resolve("plain.csv"), "file,class\na.mp4,hook\n");
        assertEquals(List.of(), ClipCsvLabels.splits(without));
    }

    @Test
    void labelColumnFoundByNameAndOtherClassesUnknown() throws Exception {
        clips("clips/a.mp4", "clips/b.mp4", "clips/c.mp4");
        // like real-lapchole/clips.csv: instrument is the first label column present
        Path csv = csv(
                "file,instrument,verb,target\nclips/a.mp4,hook,dissect,cystic_duct\n\nclips/b.mp4,grasper,retract,liver\n"
                        + "clips/c.mp4,\"grasper\",\"retract, gently\",omentum\n");
        FrameLabels f = ClipCsvLabels.read(csv, null, null);
        assertFalse(f.multiLabel());
        assertEquals(List.of("grasper", "hook"), f.classes());
        assertEquals(
                List.of(dir.resolve("clips/a.mp4"), dir.resolve("clips/b.mp4"), dir.resolve("clips/c.mp4")),
                f.frames().stream().map(LabelledFrame::source).toList());
        assertEquals(LabelledFrame.EVERY_FRAME, f.frames().get(0).frameIndex());
        assertArrayEquals(new byte[] {U, P}, f.frames().get(0).targets());
        assertArrayEquals(new byte[] {P, U}, f.frames().get(1).targets());
        assertArrayEquals(new byte[] {P, U}, f.frames().get(2).targets());
        assertEquals("3 frames, grasper 2, hook 1", f.describe());

        FrameLabels byVerb = ClipCsvLabels.read(csv, "verb", null);
        assertEquals(List.of("dissect", "retract", "retract, gently"), byVerb.classes());
        assertArrayEquals(new byte[] {U, U, P}, byVerb.frames().get(2).targets());
    }

    @Test
    void classColumnComesBeforeInstrument() throws Exception {
        clips("a.mp4");
        Path csv = csv("file,instrument,class\na.mp4,hook,dissection\n");
        assertEquals(List.of("dissection"), ClipCsvLabels.read(csv, null, null).classes());
    }

    @Test
    void splitColumnKeepsItsRowsWithTheClassesOfAllRows() throws Exception {
        clips("a.mp4", "b.mp4", "c.mp4");
        Path csv = csv("file,tool,split\na.mp4,hook,train\nb.mp4,grasper,val\nc.mp4,clipper,train\n");
        FrameLabels train = ClipCsvLabels.read(csv, null, "train");
        assertEquals(List.of("clipper", "grasper", "hook"), train.classes());
        assertEquals(
                List.of(dir.resolve("a.mp4"), dir.resolve("c.mp4")),
                train.frames().stream().map(LabelledFrame::source).toList());
        assertArrayEquals(new byte[] {U, U, P}, train.frames().get(0).targets());
        assertArrayEquals(new int[] {1, 0, 1}, train.presentCounts());
        FrameLabels val = ClipCsvLabels.read(csv, null, "val");
        assertEquals(1, val.frames().size());
        assertArrayEquals(new byte[] {U, P, U}, val.frames().get(0).targets());
        assertEquals(3, ClipCsvLabels.read(csv, null, null).frames().size());
        assertEquals(csv + ": no clips in split 'test' (splits: train, val)", error(csv, null, "test"));
    }

    @Test
    void errorsNameFileAndLine() throws Exception {
        clips("clips/a.mp4");
        Path csv = csv("file,instrument\nclips/a.mp4,hook\nclips/a.mp4,hook\nclips/a.mp4,grasper\nclips/x.mp4,hook\n");
        assertEquals("clips.csv:5: clips/x.mp4 does not exist", error(csv, null, null));
        csv = csv("file,instrument,verb\nclips/a.mp4,hook,dissect\nclips/a.mp4,hook\n");
        assertEquals("clips.csv:3: expected 3 columns as in the header, got 2", error(csv, null, null));
        csv = csv("file,instrument\nclips/a.mp4,\n");
        assertEquals("clips.csv:2: empty instrument", error(csv, null, null));
        csv = csv("file,instrument\nclips/a.mp4,\"hook\n");
        assertEquals("clips.csv:2: a quote is not closed", error(csv, null, null));
        csv = csv("file,instrument\nclips/a.mp4,hook\n");
        assertEquals(
                csv + ": no 'split' column to choose split 'train' by (columns: file, instrument)",
                error(csv, null, "train"));
        assertEquals(csv + ": no column 'phase' (columns: file, instrument)", error(csv, "phase", null));
        csv = csv("file,verb\nclips/a.mp4,dissect\n");
        assertEquals(
                csv
                        + ": no label column (class, label, instrument, tool); name one with --label-column (columns: file, verb)",
                error(csv, null, null));
        csv = csv("path,class\nclips/a.mp4,hook\n");
        assertEquals(csv + ": no 'file' column (columns: path, class)", error(csv, null, null));
    }
}
