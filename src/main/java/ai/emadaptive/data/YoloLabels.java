package ai.emadaptive.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The YOLO layout that Ultralytics and Label Studio export: {@code images/} beside {@code labels/} (optionally split
 * into {@code train}, {@code val}, {@code test}), one {@code .txt} per image with a line per box or polygon, and the
 * class names in {@code data.yaml} or {@code classes.txt}. A frame's labels are the set of classes it has boxes of:
 * for presence of tools in view, boxes say more than enough.
 */
public final class YoloLabels {
    /** The split folder names looked for, in order. */
    public static final List<String> SPLITS = List.of("train", "val", "test");
    /** Coordinates this far outside [0, 1] are rounding in an exporter, not an error. */
    private static final double SLACK = 1e-6;

    private YoloLabels() {}

    /**
     * The images of one split with the classes of their boxes: each image's classes PRESENT, all others ABSENT; an
     * empty or missing label file means no tool in view.
     *
     * @param split a folder under {@code images/} and {@code labels/} ("train", "val" or "test"), or null for a flat
     *              {@code images/} + {@code labels/} (an error when the images are split, so no split is mixed in)
     */
    public static FrameLabels read(Path root, String split) {
        ClassNames names = ClassNames.of(root);
        Path images = root.resolve("images"), labels = root.resolve("labels");
        if (!Files.isDirectory(images))
            throw new DataException(images + ": no images folder (a YOLO data set has images/ and labels/)");
        if (split == null) {
            List<String> splits = splits(root);
            if (!splits.isEmpty()) {
                throw new DataException(images + ": split into " + String.join(", ", splits) + "; choose one of them");
            }
        } else {
            images = images.resolve(split);
            labels = labels.resolve(split);
            if (!Files.isDirectory(images))
                throw new DataException(images + ": no such split folder (splits: " + splits(root) + ")");
        }
        List<Path> files = images(images);
        if (files.isEmpty()) throw new DataException(images + ": no .jpg, .jpeg, .png or .bmp images");
        List<LabelledFrame> frames = new ArrayList<>(files.size());
        for (Path image : files) {
            Path rel = images.relativize(image);
            Path label = labels.resolve(rel).resolveSibling(LabelFiles.stem(image) + ".txt");
            byte[] targets = new byte[names.names().size()];
            if (Files.isRegularFile(label)) readBoxes(label, LabelFiles.name(root, label), names, targets);
            frames.add(new LabelledFrame(image, LabelledFrame.STILL, targets));
        }
        return new FrameLabels(names.names(), frames, true);
    }

    /** The splits present under {@code root/images} (those of train, val, test that are folders); empty for a flat layout. */
    public static List<String> splits(Path root) {
        Path images = root.resolve("images");
        return SPLITS.stream().filter(s -> Files.isDirectory(images.resolve(s))).toList();
    }

    /** The class names from {@code root/data.yaml} (or {@code data.yml}), else {@code root/classes.txt} (Label Studio's export). */
    public static List<String> names(Path root) {
        return ClassNames.of(root).names();
    }

    /** Sets PRESENT the class of every box or polygon in {@code file} (named {@code name} in errors). */
    static void readBoxes(Path file, String name, ClassNames names, byte[] targets) {
        List<String> lines = LabelFiles.lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            String[] v = line.split("\\s+");
            int line1 = i + 1;
            // 5 values: a box; 1 + an even count >= 6: a polygon (segmentation, or an oriented box's four corners)
            boolean polygon = v.length >= 7 && v.length % 2 == 1;
            if (v.length != 5 && !polygon) {
                throw LabelFiles.at(name, line1, "expected <class> <xc> <yc> <w> <h>, got " + v.length + " values");
            }
            int c = classIndex(v[0], name, line1);
            if (c < 0 || c >= targets.length) {
                throw LabelFiles.at(
                        name, line1, "class " + c + " is not in " + names.source() + "'s " + targets.length + " names");
            }
            for (int j = 1; j < v.length; j++) {
                double x = number(v[j], name, line1);
                if (x < -SLACK || x > 1 + SLACK) {
                    throw LabelFiles.at(
                            name,
                            line1,
                            "coordinate " + v[j] + " is outside [0, 1] (YOLO coordinates are fractions of the image)");
                }
            }
            targets[c] = ImageSet.PRESENT;
        }
    }

    /** A class index; "3.0" counts as 3, as Ultralytics reads labels as floats. */
    private static int classIndex(String s, String name, int line) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            double d = number(s, name, line);
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE)
                throw LabelFiles.at(name, line, "class " + s + " is not a whole number");
            return (int) d;
        }
    }

    private static double number(String s, String name, int line) {
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw LabelFiles.at(name, line, "'" + s + "' is not a number");
        }
        if (!Double.isFinite(d)) throw LabelFiles.at(name, line, "'" + s + "' is not a number");
        return d;
    }

    private static List<Path> images(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(YoloLabels::isImage)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DataException(dir + ": " + e.getMessage());
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Arrays.asList(".jpg", ".jpeg", ".png", ".bmp").stream().anyMatch(n::endsWith);
    }
}
