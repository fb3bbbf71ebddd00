package ai.emadaptive.generate;

import ai.emadaptive.model.Seeds;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * A multi-tool detection set in the Ultralytics YOLO layout: {@code out/images/{train,val}/NNNNNN.png}, beside each
 * {@code out/labels/{train,val}/NNNNNN.txt} with one {@code class xc yc w h} line per visible tool (empty without
 * one), {@code out/data.yaml} naming the classes, and {@code out/labels.csv} with each image's tool presence (0/1 per
 * class) and difficulty factors, so the same set serves tool-presence classification. Frames come from
 * {@link ToolSceneSampler}; image i of a split depends only on (seed, i), train on {@code seed} and val on
 * {@code seed + 1}, so sets are reproducible and generation runs in parallel.
 */
public final class YoloSetGenerator {
    public static final String DATA_YAML = "data.yaml", CSV = "labels.csv";
    public static final String TRAIN = "train", VAL = "val";

    private YoloSetGenerator() {}

    /** {@code generate yolo}: {@code train} training and {@code val} validation images (none when 0) of {@code size} px. */
    public static void generate(Path out, int train, int val, int size, long seed) throws IOException {
        if (train < 1) throw new IllegalArgumentException("training images must be >= 1, not " + train);
        if (val < 0) throw new IllegalArgumentException("validation images must be >= 0, not " + val);
        if (size < 8) throw new IllegalArgumentException("image size must be >= 8 pixels, not " + size);
        List<String> rows = new ArrayList<>(split(out, TRAIN, train, size, seed));
        rows.addAll(split(out, VAL, val, size, seed + 1));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve(CSV)))) {
            w.println("file," + String.join(",", ToolClasses.labels()) + "," + Difficulty.CSV_HEADER + ",patient");
            for (String r : rows) w.println(r);
        }
        Files.writeString(out.resolve(DATA_YAML), dataYaml());
    }

    /**
     * {@code generate yolo} on a bare JDK runtime (java.desktop), as {@link ImageSetGenerator#main} is, for a GPU
     * machine without Maven. Arguments: out train val size seed.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: YoloSetGenerator OUT TRAIN VAL SIZE SEED");
            System.exit(2);
        }
        generate(
                Path.of(args[0]),
                Integer.parseInt(args[1]),
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Long.parseLong(args[4]));
    }

    /** The data set file Ultralytics reads: paths relative to its own folder, classes in id order. */
    static String dataYaml() {
        return "path: .\ntrain: images/" + TRAIN + "\nval: images/" + VAL + "\nnc: " + ToolClasses.count()
                + "\nnames:\n"
                + ToolClasses.labels().stream().map(l -> "  - " + l + "\n").collect(Collectors.joining());
    }

    /** Writes one split's images and labels; returns its labels.csv rows. */
    private static List<String> split(Path out, String split, int n, int size, long seed) throws IOException {
        Path images = Files.createDirectories(out.resolve("images").resolve(split));
        Path labels = Files.createDirectories(out.resolve("labels").resolve(split));
        String[] rows = new String[n];
        ThreadLocal<SceneRenderer> renderers = ThreadLocal.withInitial(SceneRenderer::new);
        IntStream.range(0, n).parallel().forEach(i -> {
            ToolScene s = ToolSceneSampler.sample(new Random(Seeds.mix(seed, i)), size, size);
            BufferedImage img = renderers.get().render(s, size, size);
            List<ToolBox> boxes = ToolBoxes.of(s, size, size);
            String name = String.format("%06d", i);
            try {
                ImageIO.write(img, "png", images.resolve(name + ".png").toFile());
                Files.writeString(
                        labels.resolve(name + ".txt"),
                        boxes.stream().map(b -> b.yolo() + "\n").collect(Collectors.joining()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rows[i] = "images/" + split + "/" + name + ".png," + presence(boxes) + ","
                    + s.difficulty().csv() + "," + s.tissueSeed();
        });
        return List.of(rows);
    }

    /** 0/1 per class: whether the frame has a box of it. */
    private static String presence(List<ToolBox> boxes) {
        return ToolClasses.all().stream()
                .map(c -> boxes.stream().anyMatch(b -> b.instrument() == c) ? "1" : "0")
                .collect(Collectors.joining(","));
    }
}
