package ai.emadaptive.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The one-folder-per-class layout ({@code root/<class>/<image>.jpg|png}), the one users export frame data sets in.
 * Classes are the sub-folders in alphabetical order; images are resized (bilinear) to {@code size} x {@code size}
 * when they differ. Decoding runs on all cores.
 */
public final class ImageFolderLoader {
    private ImageFolderLoader() {}

    public static ImageSet load(Path root, int size) {
        return load(root, size, null);
    }

    /** @param classes the class order to use (e.g. the training set's), or null to take the folders' */
    public static ImageSet load(Path root, int size, List<String> classes) {
        if (!Files.isDirectory(root)) throw new DataException(root + ": not a folder");
        List<String> names = classes != null ? classes : subfolders(root);
        if (names.size() < 2) throw new DataException(root + ": needs at least two class folders, found " + names);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            List<Path> images = images(root, names.get(c));
            files.addAll(images);
            for (int i = 0; i < images.size(); i++) labels.add(c);
        }
        if (files.isEmpty()) throw new DataException(root + ": no .jpg, .jpeg or .png images in the class folders");
        int b = size * size * 3;
        byte[] pixels = ImageSet.pixelStorage(files.size(), size, root, "use fewer images or a smaller --input-size");
        IntStream.range(0, files.size()).parallel().forEach(i -> decode(files.get(i), size, pixels, i * b));
        return new ImageSet(
                List.copyOf(names),
                size,
                pixels,
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The image files of every class, in the order {@link #load} puts them in the set (class by class, files sorted),
     * relative to {@code root}: lets callers join per-image metadata such as a labels CSV.
     */
    public static List<Path> files(Path root, List<String> classes) {
        List<Path> out = new ArrayList<>();
        for (String c : classes) for (Path p : images(root, c)) out.add(root.relativize(p));
        return out;
    }

    private static List<Path> images(Path root, String className) {
        Path dir = root.resolve(className);
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": class folder missing");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(ImageFolderLoader::isImage).sorted().toList();
        } catch (IOException e) {
            throw new DataException(dir + ": " + e.getMessage());
        }
    }

    private static List<String> subfolders(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DataException(root + ": " + e.getMessage());
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    /** An image file decoded, or a DataException naming it. */
    public static BufferedImage read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataException(file + ": cannot decode (" + e.getMessage() + ")");
        }
        if (img == null) throw new DataException(file + ": not a readable image");
        return img;
    }

    private static void decode(Path file, int size, byte[] out, int offset) {
        BufferedImage img = read(file);
        if (img.getWidth() != size || img.getHeight() != size) img = resize(img, size);
        int[] rgb = img.getRGB(0, 0, size, size, null, 0, size);
        for (int i = 0; i < rgb.length; i++) {
            out[offset + 3 * i] = (byte) (rgb[i] >> 16);
            out[offset + 3 * i + 1] = (byte) (rgb[i] >> 8);
            out[offset + 3 * i + 2] = (byte) rgb[i];
        }
    }

    static BufferedImage resize(BufferedImage img, int size) {
        BufferedImage dst = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, size, size, null);
        g.dispose();
        return dst;
    }
}
