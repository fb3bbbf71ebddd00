package ai.emadaptive.generate;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import ai.emadaptive.model.Seeds;

/**
 * A labelled frame set in the one-folder-per-class layout ({@code out/<instrument>/<n>.png}) with
 * {@code out/labels.csv} giving each image's class and difficulty factors. Image i depends only on (seed, i), so
 * sets are reproducible and generation runs in parallel.
 */
public final class ImageSetGenerator {
    public static final String CSV = "labels.csv";

    private ImageSetGenerator() {}

    public static void generate(Path out, int perClass, int size, long seed) throws IOException {
        Instrument[] classes = Instrument.values();
        for (Instrument c : classes) Files.createDirectories(out.resolve(c.label()));
        int n = perClass * classes.length;
        String[] rows = new String[n];
        ThreadLocal<SceneRenderer> renderers = ThreadLocal.withInitial(SceneRenderer::new);
        IntStream.range(0, n).parallel().forEach(i -> {
            Random rnd = new Random(Seeds.mix(seed, i));
            Instrument c = classes[i % classes.length];
            Difficulty d = Difficulty.random(SceneSampler.level(rnd), rnd);
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
