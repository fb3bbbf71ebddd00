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
}
