package ai.emadaptive.model;

/**
 * The network's entry: CIFAR's 3x3/1 convolution for small inputs, ImageNet's 7x7/2 + 3x3/2 max-pool for frames, and
 * COMPACT, ImageNet's downsampling with a 3x3 kernel: at 64 px with width 16 it costs a fifth of ImageNet's stem, which
 * makes the first exit much cheaper than the rest of the network.
 */
public enum Stem {
    CIFAR(3, 1, false),
    IMAGENET(7, 2, true),
    COMPACT(3, 2, true);

    public final int kernel;
    public final int stride;
    public final boolean maxPool;

    Stem(int kernel, int stride, boolean maxPool) {
        this.kernel = kernel;
        this.stride = stride;
        this.maxPool = maxPool;
    }

    /** Spatial size after the stem for a square input of {@code size}. */
    public int outputSize(int size) {
        int s = ModelSpec.convOut(size, kernel, stride, kernel / 2);
        return maxPool ? ModelSpec.convOut(s, 3, 2, 1) : s;
    }
}
