package ai.emadaptive.model;

import java.util.List;

/**
 * Architecture of a multi-exit ResNet-18: four stages of two BasicBlocks, one exit head after each stage.
 *
 * @param width       channels of stage 1; stages have width x 1, 2, 4, 8 (64 = the real ResNet-18)
 * @param inputSize   side of the square input frame in pixels
 * @param inChannels  input channels (3 for RGB)
 * @param stem        CIFAR, ImageNet or compact stem
 * @param numClasses  classes predicted by every exit
 * @param headType    exit head shape
 */
public record ModelSpec(int width, int inputSize, int inChannels, Stem stem, int numClasses, HeadType headType) {

    public static final int STAGES = 4;
    public static final int BLOCKS_PER_STAGE = 2;
    private static final int[] STAGE_STRIDES = {1, 2, 2, 2};

    public ModelSpec {
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, was " + width);
        if (inChannels < 1) throw new IllegalArgumentException("inChannels must be >= 1, was " + inChannels);
        if (numClasses < 2) throw new IllegalArgumentException("numClasses must be >= 2, was " + numClasses);
        if (stem == null || headType == null) throw new IllegalArgumentException("stem and headType are required");
        int s = inputSize < 1 ? 0 : stem.outputSize(inputSize);
        for (int i = 1; i < STAGES; i++) s = s < 1 ? 0 : convOut(s, 3, 2, 1);
        if (s < 1)
            throw new IllegalArgumentException("inputSize " + inputSize + " is too small for the " + stem + " stem");
    }

    /** The seed's CIFAR-10 network at a width (64 in the seed), 32x32 input, CIFAR stem, with the given heads. */
    public static ModelSpec cifarResNet18(int width, HeadType headType) {
        return new ModelSpec(width, 32, 3, Stem.CIFAR, 10, headType);
    }

    public ModelSpec withHeadType(HeadType type) {
        return new ModelSpec(width, inputSize, inChannels, stem, numClasses, type);
    }

    public ModelSpec withClasses(int classes) {
        return new ModelSpec(width, inputSize, inChannels, stem, classes, headType);
    }

    /** Output channels of stage {@code s} (1-based). */
    public int stageChannels(int s) {
        return width << (s - 1);
    }

    public int stageStride(int s) {
        return STAGE_STRIDES[s - 1];
    }

    /** Spatial side of stage {@code s}'s output map (stage 0 = the stem). */
    public int stageSize(int s) {
        int size = stem.outputSize(inputSize);
        for (int i = 1; i <= s; i++) size = convOut(size, 3, stageStride(i), 1);
        return size;
    }

    /** Input channels of stage {@code s}. */
    public int stageInChannels(int s) {
        return s == 1 ? width : stageChannels(s - 1);
    }

    /** Stride of the conv head at exit {@code e}: it halves the map while the map is larger than 4x4. */
    public int convHeadStride(int e) {
        return stageSize(e) > 4 ? 2 : 1;
    }

    public static int convOut(int in, int kernel, int stride, int pad) {
        return (in + 2 * pad - kernel) / stride + 1;
    }

    public List<Integer> exits() {
        return List.of(1, 2, 3, 4);
    }
}
