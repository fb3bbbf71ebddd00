package ai.emadaptive.data;

import java.util.List;

/**
 * Labelled images held in memory as RGB bytes, row-major HWC per image: compact (3 KB per CIFAR image) and
 * decoded once, so epochs only crop, flip and normalise.
 *
 * @param labels  one class per image (single-label sets); in a multi-label set the one present class of an image with
 *                exactly one, and {@link #NO_LABEL} for the others
 * @param targets multi-label sets only (null otherwise): per image, per class, {@link #PRESENT}, {@link #ABSENT} or
 *                {@link #UNKNOWN} (e.g. a clip-level label says which tool acts, not which others are visible)
 */
public record ImageSet(List<String> classes, int size, byte[] pixels, int[] labels, byte[] targets) {
    public static final byte PRESENT = 1;
    public static final byte ABSENT = 0;
    public static final byte UNKNOWN = -1;
    /** A label that counts for no class: excluded from single-label accuracy. */
    public static final int NO_LABEL = -1;

    public ImageSet {
        if (pixels.length != (long) labels.length * size * size * 3) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, " + labels.length
                    + " images of " + size + "x" + size + "x3 need " + (long) labels.length * size * size * 3);
        }
        if (targets != null && targets.length != (long) labels.length * classes.size()) {
            throw new IllegalArgumentException("targets hold " + targets.length + " values, " + labels.length
                    + " images of " + classes.size() + " classes need " + (long) labels.length * classes.size());
        }
    }

    /** A single-label set. */
    public ImageSet(List<String> classes, int size, byte[] pixels, int[] labels) {
        this(classes, size, pixels, labels, null);
    }

    public boolean multiLabel() {
        return targets != null;
    }

    /** Image i's target for class k: PRESENT, ABSENT or UNKNOWN (multi-label sets only). */
    public byte target(int image, int k) {
        return targets[image * classes.size() + k];
    }

    /** The most bytes one Java array may hold, and so one set's pixels. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Room for {@code count} images of {@code size} x {@code size}, or a {@link DataException} naming {@code source}
     * when they need more than one array holds (2 GiB: 10,922 images at 256 px), before anything is decoded.
     */
    public static byte[] pixelStorage(long count, int size, Object source, String remedy) {
        long bytes = count * size * size * 3;
        if (bytes > MAX_BYTES) {
            throw new DataException(String.format(
                    java.util.Locale.ROOT,
                    "%s: %,d images of %dx%d need %.1f GB in memory, more" + " than one set holds (%.1f GB); %s",
                    source,
                    count,
                    size,
                    size,
                    bytes / 1e9,
                    MAX_BYTES / 1e9,
                    remedy));
        }
        return new byte[(int) bytes];
    }

    public int count() {
        return labels.length;
    }

    public int imageBytes() {
        return size * size * 3;
    }

    /** The same images as a single-label set (labels kept, targets dropped). */
    public ImageSet withoutTargets() {
        return new ImageSet(classes, size, pixels, labels, null);
    }

    /** The images at the given indices, as a new set. */
    public ImageSet subset(int[] indices) {
        int b = imageBytes();
        int c = classes.size();
        byte[] p = new byte[indices.length * b];
        int[] l = new int[indices.length];
        byte[] t = targets == null ? null : new byte[indices.length * c];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * b, p, i * b, b);
            l[i] = labels[indices[i]];
            if (t != null) System.arraycopy(targets, indices[i] * c, t, i * c, c);
        }
        return new ImageSet(classes, size, p, l, t);
    }

    /**
     * At most {@code perClass} images of each class, the first ones in order: for quick runs and tests. Images without
     * a single label (multi-label sets) count as one more class.
     */
    public ImageSet limitPerClass(int perClass) {
        int[] seen = new int[classes.size() + 1];
        return subset(java.util.stream.IntStream.range(0, count())
                .filter(i -> seen[slot(i)]++ < perClass)
                .toArray());
    }

    private int slot(int image) {
        return labels[image] < 0 ? classes.size() : labels[image];
    }

    /**
     * {kept, held out}: of each class's images, in set order, every {@code every}-th (the 10th, 20th, ... for 10) is
     * held out (images without a single label form one more class). The rule needs only the per-class order, so a trainer elsewhere ({@code gpu_train.py --holdout-every})
     * holds out the same images.
     */
    public ImageSet[] holdOutEvery(int every) {
        if (every < 2) throw new IllegalArgumentException("holdout-every must be >= 2, was " + every);
        int[] seen = new int[classes.size() + 1];
        boolean[] held = new boolean[count()];
        for (int i = 0; i < count(); i++) held[i] = ++seen[slot(i)] % every == 0;
        int[] kept = java.util.stream.IntStream.range(0, count())
                .filter(i -> !held[i])
                .toArray();
        int[] out = java.util.stream.IntStream.range(0, count())
                .filter(i -> held[i])
                .toArray();
        return new ImageSet[] {subset(kept), subset(out)};
    }
}
