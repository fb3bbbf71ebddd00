package ai.emadaptive.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10's binary format: records of one label byte then 1024 red, 1024 green and 1024 blue bytes (32x32,
 * planar). Class names come from {@code batches.meta.txt} beside the files when present.
 */
public final class CifarBinaryLoader {
    private static final int SIZE = 32;
    private static final int RECORD = 1 + SIZE * SIZE * 3;
    public static final List<String> CIFAR10_CLASSES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private CifarBinaryLoader() {}

    public static ImageSet load(List<Path> files) {
        List<String> classes = classNames(files.get(0).toAbsolutePath().getParent());
        List<byte[]> raw = new ArrayList<>();
        int count = 0;
        for (Path f : files) {
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new DataException(f + ": " + e.getMessage());
            }
            if (b.length == 0 || b.length % RECORD != 0) {
                throw new DataException(
                        f + ": " + b.length + " bytes is not a whole number of " + RECORD + "-byte CIFAR records");
            }
            raw.add(b);
            count += b.length / RECORD;
        }
        byte[] pixels =
                ImageSet.pixelStorage(count, SIZE, files.get(0).toAbsolutePath().getParent(), "use fewer batch files");
        int[] labels = new int[count];
        int i = 0;
        for (int fi = 0; fi < raw.size(); fi++) {
            byte[] b = raw.get(fi);
            for (int r = 0; r < b.length / RECORD; r++, i++) {
                int o = r * RECORD;
                labels[i] = b[o] & 0xff;
                if (labels[i] >= classes.size())
                    throw new DataException(files.get(fi) + ": label " + labels[i] + " in record " + r);
                int dst = i * SIZE * SIZE * 3;
                for (int p = 0; p < SIZE * SIZE; p++) {
                    pixels[dst + 3 * p] = b[o + 1 + p];
                    pixels[dst + 3 * p + 1] = b[o + 1 + SIZE * SIZE + p];
                    pixels[dst + 3 * p + 2] = b[o + 1 + 2 * SIZE * SIZE + p];
                }
            }
        }
        return new ImageSet(classes, SIZE, pixels, labels);
    }

    private static List<String> classNames(Path dir) {
        Path meta = dir == null ? null : dir.resolve("batches.meta.txt");
        if (meta == null || !Files.isRegularFile(meta)) return CIFAR10_CLASSES;
        try {
            return Files.readAllLines(meta).stream()
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new DataException(meta + ": " + e.getMessage());
        }
    }
}
