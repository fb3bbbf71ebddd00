package ai.emadaptive.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YoloLabelsTest {
    private static final byte P = ImageSet.PRESENT, A = ImageSet.ABSENT;

    @TempDir
    Path root;

    private void write(String path, String text) throws Exception {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** Image files are never decoded here: an empty placeholder is enough. */
    private void image(String path) throws Exception {
        write(path, "");
    }

    private String error(String split) {
        return assertThrows(DataException.class, () -> YoloLabels.read(root, split))
                .getMessage();
    }

    @Test
    void splitLayoutWithBlockListGivesBoxClassesPresentAndOthersAbsent() throws Exception {
        write(
                "data.yaml",
                "path: .\ntrain: images/train\nval: images/val\nnc: 3\nnames:\n  - grasper\n  - 'hook'\n  - \"specimen bag\"\n");
        image("images/train/b.png");
        image("images/train/a.JPG");
        image("images/train/c.jpeg");
        image("images/train/d.bmp");
        image("images/val/v.jpg");
        write("images/train/notes.txt", "not an image");
        write("labels/train/a.txt", "0 0.5 0.5 0.2 0.2\n2 0.1 0.1 0.05 0.05\n\n0 0.7 0.7 0.1 0.1\n");
        write("labels/train/b.txt", ""); // empty: no tool
        write("labels/train/c.txt", "1 0.1 0.1 0.5 0.1 0.5 0.6\n"); // segmentation polygon, 3 points
        // d.bmp has no label file: no tool
        write("labels/val/v.txt", "1 0.5 0.5 1 1\n");

        assertEquals(List.of("train", "val"), YoloLabels.splits(root));
        assertEquals(List.of("grasper", "hook", "specimen bag"), YoloLabels.names(root));
        FrameLabels train = YoloLabels.read(root, "train");
        assertTrue(train.multiLabel());
        assertEquals(List.of("grasper", "hook", "specimen bag"), train.classes());
        assertEquals(4, train.frames().size());
        assertEquals(
                List.of("a.JPG", "b.png", "c.jpeg", "d.bmp"),
                train.frames().stream()
                        .map(f -> f.source().getFileName().toString())
                        .toList());
        assertEquals(root.resolve("images/train/a.JPG"), train.frames().get(0).source());
        assertEquals(LabelledFrame.STILL, train.frames().get(0).frameIndex());
        assertArrayEquals(new byte[] {P, A, P}, train.frames().get(0).targets());
        assertArrayEquals(new byte[] {A, A, A}, train.frames().get(1).targets());
        assertArrayEquals(new byte[] {A, P, A}, train.frames().get(2).targets());
        assertArrayEquals(new byte[] {A, A, A}, train.frames().get(3).targets());
        assertArrayEquals(new int[] {1, 1, 1}, train.presentCounts());
        assertEquals("4 frames, grasper 1, hook 1, specimen bag 1, no tool 2", train.describe());

        FrameLabels val = YoloLabels.read(root, "val");
        assertEquals(1, val.frames().size());
        assertArrayEquals(new byte[] {A, P, A}, val.frames().get(0).targets());
    }

    @Test
    void flatLayoutWithClassesTxtFromLabelStudio() throws Exception {
        write("classes.txt", "Grasper\nHook\n\n");
        image("images/0001.png");
        image("images/0002.png");
        write("labels/0001.txt", "1 0.5 0.5 0.2 0.2\r\n");
        write("labels/0002.txt", "0 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2 0.2\n");
        assertEquals(List.of(), YoloLabels.splits(root));
        FrameLabels f = YoloLabels.read(root, null);
        assertEquals(List.of("Grasper", "Hook"), f.classes());
        assertArrayEquals(new byte[] {A, P}, f.frames().get(0).targets());
        assertArrayEquals(new byte[] {P, P}, f.frames().get(1).targets());
        assertArrayEquals(new int[] {1, 2}, f.presentCounts());
    }

    @Test
    void dataYamlWinsOverClassesTxt() throws Exception {
        write("data.yml", "names: [a, b]\n");
        write("classes.txt", "x\ny\nz\n");
        assertEquals(List.of("a", "b"), YoloLabels.names(root));
    }

    @Test
    void namesAsFlowListBlockMapAndFlowMap() throws Exception {
        write("data.yaml", "names: [grasper, 'hook', no]\nnc: 3\n");
        assertEquals(List.of("grasper", "hook", "no"), YoloLabels.names(root), "no stays a name, not a boolean");
        write("data.yaml", "nc: 3\nnames:\n  2: clipper\n  0: grasper\n  1: \"hook\"\n");
        assertEquals(List.of("grasper", "hook", "clipper"), YoloLabels.names(root));
        write("data.yaml", "names: {0: grasper, 1: hook}\n");
        assertEquals(List.of("grasper", "hook"), YoloLabels.names(root));
    }

    @Test
    void badNamesAreErrorsNamingTheFile() throws Exception {
        Path yaml = root.resolve("data.yaml");
        write("data.yaml", "nc: 7\nnames: [grasper, hook]\n");
        assertEquals(
                yaml + ": nc: 7 but names: has 2 names",
                assertThrows(DataException.class, () -> YoloLabels.names(root)).getMessage());
        write("data.yaml", "names:\n  0: grasper\n  2: hook\n");
        assertEquals(
                yaml + ": names: keys must be 0..1, found [0, 2]",
                assertThrows(DataException.class, () -> YoloLabels.names(root)).getMessage());
        write("data.yaml", "names: {0: grasper, x: hook}\n");
        assertEquals(
                yaml + ": names: key 'x' is not a class index 0, 1, ...",
                assertThrows(DataException.class, () -> YoloLabels.names(root)).getMessage());
        write("data.yaml", "train: images/train\n");
        assertEquals(
                yaml + ": no names: (the class names)",
                assertThrows(DataException.class, () -> YoloLabels.names(root)).getMessage());
        write("data.yaml", "names: [grasper, hook, grasper]\n");
        assertEquals(
                yaml + ": class 'grasper' appears twice",
                assertThrows(DataException.class, () -> YoloLabels.names(root)).getMessage());
        write("data.yaml", "names: [grasper, hook\n");
        assertTrue(assertThrows(DataException.class, () -> YoloLabels.names(root))
                .getMessage()
                .startsWith(yaml + ": not valid YAML"));
        Files.delete(yaml);
        assertEquals(
                root + ": no data.yaml, data.yml or classes.txt with the class names",
                assertThrows(DataException.class, () -> YoloLabels.names(root)).getMessage());
    }

    @Test
    void malformedLabelLinesNameFileAndLine() throws Exception {
        write("data.yaml", "names: [a, b, c, d, e, f, g]\n");
        image("images/train/a.jpg");
        String name = "labels/train/a.txt";
        write(name, "0 0.5 0.5 0.1 0.1\n1 0.5 0.5 0.1 0.1\n9 0.5 0.5 0.1 0.1\n");
        assertEquals(name + ":3: class 9 is not in data.yaml's 7 names", error("train"));
        write(name, "0 0.5 0.5 0.1 0.1\n0 0.5 0.5 0.1\n");
        assertEquals(name + ":2: expected <class> <xc> <yc> <w> <h>, got 4 values", error("train"));
        write(name, "0 0.5 0.5 0.1 0.1 0.9\n");
        assertEquals(name + ":1: expected <class> <xc> <yc> <w> <h>, got 6 values", error("train"));
        write(name, "x 0.5 0.5 0.1 0.1\n");
        assertEquals(name + ":1: 'x' is not a number", error("train"));
        write(name, "0 0.5 0.5 0.1 wide\n");
        assertEquals(name + ":1: 'wide' is not a number", error("train"));
        write(name, "1.5 0.5 0.5 0.1 0.1\n");
        assertEquals(name + ":1: class 1.5 is not a whole number", error("train"));
        write(name, "-1 0.5 0.5 0.1 0.1\n");
        assertEquals(name + ":1: class -1 is not in data.yaml's 7 names", error("train"));
        write(name, "\n0 0.5 1.2 0.1 0.1\n");
        assertEquals(
                name + ":2: coordinate 1.2 is outside [0, 1] (YOLO coordinates are fractions of the image)",
                error("train"));
        write(name, "0 0.1 0.1 0.5 0.1 0.5\n"); // 5 values would be a box; 6 values is neither
        assertEquals(name + ":1: expected <class> <xc> <yc> <w> <h>, got 6 values", error("train"));
        write(name, "3.0 0.5 0.5 0.1 0.1\n");
        assertArrayEquals(
                new byte[] {A, A, A, P, A, A, A},
                YoloLabels.read(root, "train").frames().get(0).targets(),
                "3.0 is class 3, as Ultralytics reads it");
    }

    @Test
    void classesTxtNamesItselfInRangeErrors() throws Exception {
        write("classes.txt", "grasper\nhook\n");
        image("images/a.png");
        write("labels/a.txt", "2 0.5 0.5 0.1 0.1\n");
        assertEquals("labels/a.txt:1: class 2 is not in classes.txt's 2 names", error(null));
        write("classes.txt", "grasper\n\nhook\n");
        assertEquals("classes.txt:2: empty class name (the line number is the class index)", error(null));
    }

    @Test
    void missingFoldersAndImagesAreClearErrors() throws Exception {
        write("data.yaml", "names: [a, b]\n");
        assertEquals(
                root.resolve("images") + ": no images folder (a YOLO data set has images/ and labels/)", error(null));
        image("images/train/a.jpg");
        assertEquals(root.resolve("images") + ": split into train; choose one of them", error(null));
        assertEquals(root.resolve("images/val") + ": no such split folder (splits: [train])", error("val"));
        Files.createDirectories(root.resolve("images/test"));
        assertEquals(root.resolve("images/test") + ": no .jpg, .jpeg, .png or .bmp images", error("test"));
    }
}
