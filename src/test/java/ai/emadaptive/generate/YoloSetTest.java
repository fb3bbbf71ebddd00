package ai.emadaptive.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YoloSetTest {
    private static final Pattern LINE = Pattern.compile("\\d+ \\d\\.\\d{6} \\d\\.\\d{6} \\d\\.\\d{6} \\d\\.\\d{6}");

    @TempDir
    Path dir;

    @Test
    void layoutDataYamlAndCsvAreUltralyticsReady() throws Exception {
        YoloSetGenerator.generate(dir, 6, 3, 32, 5);
        assertEquals(
                "path: .\ntrain: images/train\nval: images/val\nnc: 5\nnames:\n  - grasper\n  - scissors\n  - hook\n"
                        + "  - clip-applier\n  - suction-irrigator\n",
                Files.readString(dir.resolve("data.yaml")));
        for (String split : new String[] {"train", "val"}) {
            int n = split.equals("train") ? 6 : 3;
            assertEquals(n, count(dir.resolve("images").resolve(split)), split);
            assertEquals(n, count(dir.resolve("labels").resolve(split)), split);
            for (int i = 0; i < n; i++) {
                String name = String.format("%06d", i);
                BufferedImage img = ImageIO.read(
                        dir.resolve("images/" + split + "/" + name + ".png").toFile());
                assertEquals(32, img.getWidth());
                assertEquals(32, img.getHeight());
                assertTrue(Files.isRegularFile(dir.resolve("labels/" + split + "/" + name + ".txt")));
            }
        }
        List<String> rows = Files.readAllLines(dir.resolve("labels.csv"));
        assertEquals(
                "file,grasper,scissors,hook,clip-applier,suction-irrigator," + Difficulty.CSV_HEADER + ",patient",
                rows.get(0));
        assertEquals(1 + 6 + 3, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertTrue(Files.isRegularFile(dir.resolve(f[0])), row);
            assertEquals("0", f[6 + 7], "no assistant's instrument: every instrument is labelled: " + row);
            // presence columns are the classes of the image's boxes
            boolean[] present = new boolean[ToolClasses.count()];
            for (String line : Files.readAllLines(labelFile(dir, f[0])))
                present[Integer.parseInt(line.split(" ")[0])] = true;
            for (int k = 0; k < present.length; k++) assertEquals(present[k] ? "1" : "0", f[1 + k], row);
        }
    }

    @Test
    void everyLineParsesAndTheToolCountsFollowTheDistribution() throws Exception {
        int n = 200;
        YoloSetGenerator.generate(dir, n, 0, 32, 9);
        int[] perCount = new int[4];
        int[] perClass = new int[ToolClasses.count()];
        for (int i = 0; i < n; i++) {
            List<String> lines = Files.readAllLines(dir.resolve(String.format("labels/train/%06d.txt", i)));
            assertTrue(lines.size() <= 3, "at most three tools: " + lines);
            perCount[lines.size()]++;
            boolean[] seen = new boolean[ToolClasses.count()];
            for (String line : lines) {
                assertTrue(LINE.matcher(line).matches(), line);
                String[] f = line.split(" ");
                int c = Integer.parseInt(f[0]);
                assertTrue(c < ToolClasses.count(), line);
                assertFalse(seen[c], "a class at most once a frame: " + lines);
                seen[c] = true;
                perClass[c]++;
                double xc = Double.parseDouble(f[1]),
                        yc = Double.parseDouble(f[2]),
                        w = Double.parseDouble(f[3]),
                        h = Double.parseDouble(f[4]);
                assertTrue(w > 0 && h > 0, line);
                assertTrue(xc - w / 2 >= -1e-6 && xc + w / 2 <= 1 + 1e-6, line);
                assertTrue(yc - h / 2 >= -1e-6 && yc + h / 2 <= 1 + 1e-6, line);
            }
        }
        for (int k = 0; k < 4; k++) {
            double share = (double) perCount[k] / n;
            assertEquals(ToolSceneSampler.COUNT_SHARES[k], share, 0.08, "share of frames with " + k + " tools");
        }
        int grasper = ToolClasses.id(Instrument.GRASPER);
        for (int c = 0; c < perClass.length; c++) {
            if (c != grasper) assertTrue(perClass[grasper] > perClass[c], "the grasper is the most frequent tool");
            assertTrue(perClass[c] > 0, "every class appears");
        }
    }

    @Test
    void theSamplerDrawsTheDocumentedSharesAndGrasperWithHookIsTheCommonestPair() {
        Random rnd = new Random(1);
        int draws = 20_000, pairs = 0, grasperHook = 0;
        int[] perCount = new int[4];
        for (int i = 0; i < draws; i++) {
            ToolScene s = ToolSceneSampler.sample(rnd, 32, 32);
            perCount[s.tools().size()]++;
            if (s.tools().size() != 2) continue;
            pairs++;
            List<Instrument> kinds = s.tools().stream().map(Tool::instrument).toList();
            if (kinds.contains(Instrument.GRASPER) && kinds.contains(Instrument.HOOK)) grasperHook++;
        }
        for (int k = 0; k < 4; k++) assertEquals(ToolSceneSampler.COUNT_SHARES[k], (double) perCount[k] / draws, 0.015);
        assertEquals(0.37, (double) grasperHook / pairs, 0.03, "grasper with hook among two-tool frames");
    }

    @Test
    void aBoxCoversItsInstrumentAndLittleElse() {
        SceneRenderer r = new SceneRenderer();
        int size = 128;
        for (Instrument kind : ToolClasses.all()) {
            for (double angle : new double[] {0.3, 2.0, 4.1}) {
                ToolScene one =
                        new ToolScene(3, List.of(new Tool(kind, 0.45, 0.55, angle, 0.6)), 0, 0, Difficulty.CLEAR, 7, 0);
                ToolScene none = new ToolScene(3, List.of(), 0, 0, Difficulty.CLEAR, 7, 0);
                int[] a = pixels(r.render(one, size, size)), b = pixels(r.render(none, size, size));
                List<ToolBox> boxes = ToolBoxes.of(one, size, size);
                assertEquals(1, boxes.size(), kind + " at " + angle);
                ToolBox box = boxes.get(0);
                assertEquals(kind, box.instrument());
                int changed = 0, inside = 0, x0 = size, y0 = size, x1 = -1, y1 = -1;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        if (difference(a[y * size + x], b[y * size + x]) < 12)
                            continue; // not just an edge's faint blend
                        changed++;
                        if (inside(box, (x + 0.5) / size, (y + 0.5) / size)) inside++;
                        x0 = Math.min(x0, x);
                        y0 = Math.min(y0, y);
                        x1 = Math.max(x1, x);
                        y1 = Math.max(y1, y);
                    }
                }
                assertTrue(changed > 200, kind + " changed only " + changed + " pixels");
                assertTrue(
                        inside >= 0.99 * changed,
                        kind + " at " + angle + ": " + (changed - inside) + " of " + changed
                                + " instrument pixels outside " + box);
                // and the box is hardly bigger than the instrument's clearly changed extent (edges blend into tissue)
                double slack = 2.0 / size;
                assertTrue(
                        box.x0() >= x0 / (double) size - slack && box.y0() >= y0 / (double) size - slack,
                        kind + " " + box);
                assertTrue(
                        box.x1() <= (x1 + 1) / (double) size + slack && box.y1() <= (y1 + 1) / (double) size + slack,
                        kind + " " + box);
            }
        }
    }

    @Test
    void aToolHiddenUnderALaterOneGetsNoBoxAndBoxesStayInTheField() {
        // the hook lies under the suction-irrigator's shaft, its tip three shaft widths back from the other tip
        double unit = 0.085 * 96, back = 3 * unit / 96;
        Tool suction = new Tool(Instrument.SUCTION_IRRIGATOR, 0.4, 0.4, 1.0, 0.5);
        Tool hook = new Tool(Instrument.HOOK, 0.4 + back * Math.cos(1.0), 0.4 + back * Math.sin(1.0), 1.0, 0.5);
        List<ToolBox> boxes =
                ToolBoxes.of(new ToolScene(3, List.of(hook, suction), 0, 0, Difficulty.CLEAR, 7, 0), 96, 96);
        assertEquals(
                List.of(Instrument.SUCTION_IRRIGATOR),
                boxes.stream().map(ToolBox::instrument).toList());
        List<ToolBox> both =
                ToolBoxes.of(new ToolScene(3, List.of(suction, hook), 0, 0, Difficulty.CLEAR, 7, 0), 96, 96);
        assertEquals(2, both.size(), "drawn last, the hook shows over the suction-irrigator");
        // a shaft runs out past the rim: its box ends where the black outside the field begins
        double rim = SceneRenderer.fovRadius(96, 96) / 96;
        for (ToolBox b : both) {
            assertTrue(b.x0() >= 0.5 - rim - 1.0 / 96 && b.x1() <= 0.5 + rim + 1.0 / 96, b.toString());
            assertTrue(b.y0() >= 0.5 - rim - 1.0 / 96 && b.y1() <= 0.5 + rim + 1.0 / 96, b.toString());
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherImages() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b"), c = dir.resolve("c");
        YoloSetGenerator.generate(a, 8, 4, 48, 21);
        YoloSetGenerator.generate(b, 8, 4, 48, 21);
        YoloSetGenerator.generate(c, 8, 4, 48, 22);
        List<Path> files = files(a);
        assertEquals(files, files(b));
        for (Path f : files)
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        assertFalse(java.util.Arrays.equals(
                Files.readAllBytes(a.resolve("images/train/000000.png")),
                Files.readAllBytes(c.resolve("images/train/000000.png"))));
    }

    private static boolean inside(ToolBox b, double x, double y) {
        return x >= b.x0() && x <= b.x1() && y >= b.y0() && y <= b.y1();
    }

    /** The largest difference of one channel. */
    private static int difference(int p, int q) {
        int d = 0;
        for (int shift = 0; shift < 24; shift += 8)
            d = Math.max(d, Math.abs((p >> shift & 0xff) - (q >> shift & 0xff)));
        return d;
    }

    private static int[] pixels(BufferedImage img) {
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }

    private static Path labelFile(Path out, String image) {
        return out.resolve(image.replaceFirst("^images/", "labels/").replaceFirst("\\.png$", ".txt"));
    }

    private static long count(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> out = new ArrayList<>();
            s.filter(Files::isRegularFile).map(root::relativize).sorted().forEach(out::add);
            return out;
        }
    }
}
