package ai.emadaptive.generate;

import ai.emadaptive.model.Seeds;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * A labelled frame set in the one-folder-per-class layout ({@code out/<instrument>/<n>.png}) with
 * {@code out/labels.csv} giving each image's class and difficulty factors. Image i depends only on (seed, i), so
 * sets are reproducible and generation runs in parallel.
 */
public final class ImageSetGenerator {
    public static final String CSV = "labels.csv";

    private ImageSetGenerator() {}

    /**
     * The {@code generate images} layout: {@code out/train} with {@code perClass} images of each class from
     * {@code seed}, and {@code out/test} with {@code testPerClass} (none when 0) from {@code seed + 1}.
     */
    public static void generateSplits(Path out, int perClass, int testPerClass, int size, long seed)
            throws IOException {
        generateSplits(out, perClass, testPerClass, size, seed, false);
    }

    /** As above; {@code withAssistant} adds the assistant's instrument to the difficulty factors drawn. */
    public static void generateSplits(
            Path out, int perClass, int testPerClass, int size, long seed, boolean withAssistant) throws IOException {
        if (testPerClass < 0)
            throw new IllegalArgumentException("test images per class must be >= 0, not " + testPerClass);
        generate(out.resolve("train"), perClass, size, seed, withAssistant);
        if (testPerClass > 0) generate(out.resolve("test"), testPerClass, size, seed + 1, withAssistant);
    }

    /**
     * {@code generate images} without the application around it: this package needs only the JDK's java.desktop,
     * so a minimal runtime ({@code jlink --add-modules java.base,java.desktop}) and {@code target/classes} make the
     * same images on a machine that has no Maven repository, e.g. a GPU machine that trains with
     * {@code tools/gpu-training/gpu_train.py}. Arguments: out perClass testPerClass size seed [assistant].
     */
    public static void main(String[] args) throws IOException {
        boolean assistant = args.length == 6 && args[5].equals("assistant");
        if (args.length != 5 && !assistant) {
            System.err.println("usage: ImageSetGenerator OUT PER_CLASS TEST_PER_CLASS SIZE SEED [assistant]");
            System.exit(2);
        }
        generateSplits(
                Path.of(args[0]),
                Integer.parseInt(args[1]),
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Long.parseLong(args[4]),
                assistant);
    }

    public static void generate(Path out, int perClass, int size, long seed) throws IOException {
        generate(out, perClass, size, seed, false);
    }

    public static void generate(Path out, int perClass, int size, long seed, boolean withAssistant) throws IOException {
        if (perClass < 1) throw new IllegalArgumentException("images per class must be >= 1, not " + perClass);
        if (size < 8) throw new IllegalArgumentException("image size must be >= 8 pixels, not " + size);
        Instrument[] classes = Instrument.values();
        for (Instrument c : classes) Files.createDirectories(out.resolve(c.label()));
        int n = perClass * classes.length;
        String[] rows = new String[n];
        ThreadLocal<SceneRenderer> renderers = ThreadLocal.withInitial(SceneRenderer::new);
        IntStream.range(0, n).parallel().forEach(i -> {
            Random rnd = new Random(Seeds.mix(seed, i));
            Instrument c = classes[i % classes.length];
            Difficulty d = Difficulty.random(SceneSampler.level(rnd), rnd, withAssistant);
            Scene s = SceneSampler.sample(c, d, rnd, size, size);
            BufferedImage img = renderers.get().render(s, size, size);
            String file = c.label() + "/" + String.format("%06d.png", i);
            try {
                ImageIO.write(img, "png", out.resolve(file).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rows[i] = file + "," + c.label() + "," + d.csv() + "," + s.tissueSeed();
        });
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve(CSV)))) {
            w.println("file,class," + Difficulty.CSV_HEADER + ",patient");
            for (String r : rows) w.println(r);
        }
    }
}
