package ai.emadaptive.data;

import java.util.List;

/**
 * Labelled images held in memory as RGB bytes, row-major HWC per image: compact (3 KB per CIFAR image) and
 * decoded once, so epochs only crop, flip and normalise.
 */
public record ImageSet(List<String> classes, int size, byte[] pixels, int[] labels) {

    public ImageSet {
        if (pixels.length != (long) labels.length * size * size * 3) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, " + labels.length + " images of "
                    + size + "x" + size + "x3 need " + (long) labels.length * size * size * 3);
        }
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
            throw new DataException(String.format(java.util.Locale.ROOT, "%s: %,d images of %dx%d need %.1f GB in memory, more"
                    + " than one set holds (%.1f GB); %s", source, count, size, size, bytes / 1e9, MAX_BYTES / 1e9, remedy));
        }
        return new byte[(int) bytes];
    }

    public int count() {
        return labels.length;
    }

    public int imageBytes() {
        return size * size * 3;
    }

    /** The images at the given indices, as a new set. */
    public ImageSet subset(int[] indices) {
        int b = imageBytes();
        byte[] p = new byte[indices.length * b];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * b, p, i * b, b);
            l[i] = labels[indices[i]];
        }
        return new ImageSet(classes, size, p, l);
    }

    /** At most {@code perClass} images of each class, the first ones in order: for quick runs and tests. */
    public ImageSet limitPerClass(int perClass) {
        int[] seen = new int[classes.size()];
        return subset(java.util.stream.IntStream.range(0, count()).filter(i -> seen[labels[i]]++ < perClass).toArray());
    }

    /**
     * {kept, held out}: of each class's images, in set order, every {@code every}-th (the 10th, 20th, ... for 10) is
     * held out. The rule needs only the per-class order, so a trainer elsewhere ({@code gpu_train.py --holdout-every})
     * holds out the same images.
     */
    public ImageSet[] holdOutEvery(int every) {
        if (every < 2) throw new IllegalArgumentException("holdout-every must be >= 2, was " + every);
        int[] seen = new int[classes.size()];
        boolean[] held = new boolean[count()];
        for (int i = 0; i < count(); i++) held[i] = ++seen[labels[i]] % every == 0;
        int[] kept = java.util.stream.IntStream.range(0, count()).filter(i -> !held[i]).toArray();
        int[] out = java.util.stream.IntStream.range(0, count()).filter(i -> held[i]).toArray();
        return new ImageSet[] {subset(kept), subset(out)};
    }
}
