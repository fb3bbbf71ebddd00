package ai.emadaptive.data;

import java.nio.FloatBuffer;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns images of an {@link ImageSet} into a normalised NHWC float batch, optionally augmented: by default with the
 * standard CIFAR augmentation (a random crop of the image padded by 4 zero pixels, and a horizontal flip half of the
 * time), or with {@link Augmentation#SCENE} for real footage.
 * One instance reuses its batch array; not thread-safe.
 */
public final class BatchFiller {
    public static final int PAD = 4;

    private final ImageSet set;
    private final SceneAugmentation scene;
    private final float[] scale = new float[3];
    private final float[] shift = new float[3];
    private INDArray batch;
    private int[] labels;
    private byte[] targets;

    public BatchFiller(ImageSet set, Normalisation norm) {
        this(set, norm, Augmentation.CIFAR);
    }

    public BatchFiller(ImageSet set, Normalisation norm, Augmentation augmentation) {
        this.set = set;
        this.scene = augmentation == Augmentation.SCENE ? new SceneAugmentation() : null;
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * norm.std()[c]);
            shift[c] = -norm.mean()[c] / norm.std()[c];
        }
    }

    /**
     * Fills the batch with images {@code order[from..from+n)}.
     *
     * @param rnd augmentation randomness, or null for none (evaluation)
     * @return the batch [n, size, size, 3], valid until the next call
     */
    public INDArray fill(int[] order, int from, int n, Random rnd) {
        int s = set.size();
        if (batch == null || batch.size(0) != n) {
            batch = Nd4j.create(DataType.FLOAT, n, s, s, 3);
            labels = new int[n];
            targets = set.multiLabel() ? new byte[n * set.classes().size()] : null;
        }
        int classes = set.classes().size();
        FloatBuffer out = batch.data().asNioFloat();
        byte[] px = set.pixels();
        int b = set.imageBytes();
        for (int i = 0; i < n; i++) {
            int img = order[from + i];
            labels[i] = set.labels()[img];
            if (targets != null) System.arraycopy(set.targets(), img * classes, targets, i * classes, classes);
            if (rnd != null && scene != null) {
                scene.fill(px, img * b, s, out, i * b, rnd, scale, shift);
                continue;
            }
            int dy = 0, dx = 0;
            boolean flip = false;
            if (rnd != null) {
                dy = rnd.nextInt(2 * PAD + 1) - PAD;
                dx = rnd.nextInt(2 * PAD + 1) - PAD;
                flip = rnd.nextBoolean();
            }
            int base = img * b;
            int o = i * b;
            for (int y = 0; y < s; y++) {
                int sy = y + dy;
                for (int x = 0; x < s; x++) {
                    int sx = (flip ? s - 1 - x : x) + dx;
                    boolean inside = sy >= 0 && sy < s && sx >= 0 && sx < s;
                    int src = base + (sy * s + sx) * 3;
                    for (int c = 0; c < 3; c++) {
                        // padding is black (zero pixels), as in torchvision's RandomCrop(padding=4)
                        float v = inside ? (px[src + c] & 0xff) * scale[c] + shift[c] : shift[c];
                        out.put(o++, v);
                    }
                }
            }
        }
        return batch;
    }

    /** Multi-label targets of the last filled batch, [n][classes] row-major; null for a single-label set. */
    public byte[] targets() {
        return targets;
    }

    /** Labels of the last filled batch. */
    public int[] labels() {
        return labels;
    }
}
