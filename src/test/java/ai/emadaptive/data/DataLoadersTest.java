package ai.emadaptive.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DataLoadersTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void nd4j() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static BufferedImage image(int size, int rgb) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) img.setRGB(x, y, rgb + x);
        return img;
    }

    @Test
    void folderLayoutGivesSortedClassesAndExactPngPixels() throws Exception {
        Files.createDirectories(dir.resolve("zebra"));
        Files.createDirectories(dir.resolve("ant"));
        ImageIO.write(image(4, 0x102030), "png", dir.resolve("zebra/a.png").toFile());
        ImageIO.write(image(4, 0x405060), "png", dir.resolve("ant/b.png").toFile());
        ImageIO.write(image(4, 0x405060), "jpg", dir.resolve("ant/c.jpg").toFile());
        Files.writeString(dir.resolve("ant/notes.txt"), "ignored");
        ImageSet set = ImageFolderLoader.load(dir, 4);
        assertEquals(List.of("ant", "zebra"), set.classes());
        assertArrayEquals(new int[] {0, 0, 1}, set.labels());
        // zebra/a.png, pixel (x=2, y=0): 0x102030 + 2
        int zebra = 2 * set.imageBytes();
        assertEquals(0x10, set.pixels()[zebra + 6] & 0xff);
        assertEquals(0x20, set.pixels()[zebra + 7] & 0xff);
        assertEquals(0x32, set.pixels()[zebra + 8] & 0xff);
        assertEquals(2 * 2 * 3, ImageFolderLoader.load(dir, 2).imageBytes(), "resized on load");
    }

    @Test
    void everyNthImageOfEachClassIsHeldOutAndNoImageIsLost() {
        // classes interleaved and of different sizes: 7 of class 0, 4 of class 1; pixel byte = image index
        int[] labels = {0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0};
        byte[] px = new byte[labels.length * 3];
        for (int i = 0; i < labels.length; i++) java.util.Arrays.fill(px, i * 3, i * 3 + 3, (byte) i);
        ImageSet set = new ImageSet(List.of("a", "b"), 1, px, labels);
        ImageSet[] split = set.holdOutEvery(3);
        // class 0 is at 0,2,3,5,7,8,10: its 3rd and 6th (3 and 8); class 1 at 1,4,6,9: its 3rd (6)
        assertArrayEquals(new byte[] {3, 6, 8}, firstBytes(split[1]));
        assertArrayEquals(new int[] {0, 1, 0}, split[1].labels());
        assertArrayEquals(new byte[] {0, 1, 2, 4, 5, 7, 9, 10}, firstBytes(split[0]));
        assertThrows(IllegalArgumentException.class, () -> set.holdOutEvery(1));
    }

    private static byte[] firstBytes(ImageSet s) {
        byte[] b = new byte[s.count()];
        for (int i = 0; i < b.length; i++) b[i] = s.pixels()[i * 3];
        return b;
    }

    @Test
    void brokenImageIsNamed() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        ImageIO.write(image(4, 0), "png", dir.resolve("a/ok.png").toFile());
        Files.write(dir.resolve("b/broken.jpg"), new byte[] {1, 2, 3});
        DataException e = assertThrows(DataException.class, () -> ImageFolderLoader.load(dir, 4));
        assertTrue(e.getMessage().contains("broken.jpg"), e.getMessage());
    }

    @Test
    void aSetLargerThanOneArrayIsRefusedByNameBeforeDecoding() throws Exception {
        for (String c : new String[] {"a", "b"}) {
            Files.createDirectories(dir.resolve(c));
            ImageIO.write(image(4, 0), "png", dir.resolve(c + "/one.png").toFile());
        }
        // two images at 19,000 px a side need 2.17 GB: past one Java array (the int product would have gone negative)
        DataException e = assertThrows(DataException.class, () -> ImageFolderLoader.load(dir, 19_000));
        assertTrue(
                e.getMessage().contains(dir.toString()) && e.getMessage().contains("2 images of 19000x19000"),
                e.getMessage());
        assertTrue(e.getMessage().contains("--input-size"), e.getMessage());
        assertEquals(3 * 64 * 64 * 3, ImageSet.pixelStorage(3, 64, dir, "").length);
    }

    @Test
    void cifarBinaryRecordsArePlanarRgb() throws Exception {
        byte[] rec = new byte[2 * 3073];
        rec[0] = 3;
        rec[1] = 10; // red of pixel 0
        rec[1 + 1024] = 20; // green of pixel 0
        rec[1 + 2048 + 5] = 30; // blue of pixel 5
        rec[3073] = 9;
        Path f = dir.resolve("data_batch_1.bin");
        Files.write(f, rec);
        ImageSet set = CifarBinaryLoader.load(List.of(f));
        assertArrayEquals(new int[] {3, 9}, set.labels());
        assertEquals(10, set.pixels()[0]);
        assertEquals(20, set.pixels()[1]);
        assertEquals(30, set.pixels()[5 * 3 + 2]);
        assertEquals("airplane", set.classes().get(0));
        Files.write(f, new byte[100]);
        assertThrows(DataException.class, () -> CifarBinaryLoader.load(List.of(f)));
    }

    @Test
    void batchesAreNormalisedAndAugmentationCropsAndFlips() {
        int s = 8;
        byte[] px = new byte[s * s * 3];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i % 251);
        ImageSet set = new ImageSet(List.of("a", "b"), s, px, new int[] {1});
        Normalisation norm = new Normalisation(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
        BatchFiller filler = new BatchFiller(set, norm);
        INDArray plain = filler.fill(new int[] {0}, 0, 1, null).dup();
        assertEquals(((px[3 * (2 * s + 5) + 1] & 0xff) / 255f - 0.5f) / 0.25f, plain.getFloat(0, 2, 5, 1), 1e-5);
        assertArrayEquals(new int[] {1}, filler.labels());
        // a Random that always shifts by (+1, -2) and flips
        Random fixed = new Random() {
            private int calls;

            @Override
            public int nextInt(int bound) {
                return calls++ % 2 == 0 ? BatchFiller.PAD + 1 : BatchFiller.PAD - 2;
            }

            @Override
            public boolean nextBoolean() {
                return true;
            }
        };
        INDArray aug = filler.fill(new int[] {0}, 0, 1, fixed);
        // output (y, x) shows source (y + 1, s - 1 - x - 2)
        assertEquals(plain.getFloat(0, 3, s - 1 - 2 - 2, 0), aug.getFloat(0, 2, 2, 0), 1e-6);
        // beyond the border: zero pixels, normalised
        assertEquals((0 - 0.5f) / 0.25f, aug.getFloat(0, s - 1, 0, 0), 1e-6);
        Normalisation measured = Normalisation.of(set);
        assertTrue(measured.std()[0] > 0 && measured.mean()[0] > 0);
    }
}
