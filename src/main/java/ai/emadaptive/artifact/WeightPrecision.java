package ai.emadaptive.artifact;

/**
 * How {@code weights.bin} stores a model's numbers. Either way they are float32 once loaded, so inference runs the
 * same code; half precision only halves the file (a width-64 CIFAR network: 57 MB as float32).
 */
public enum WeightPrecision {
    /** Every tensor as float32 (weights.bin version 1, which every build reads). */
    FLOAT32,
    /**
     * Convolution and dense kernels (tensors of rank 2 and up, nearly all the bytes) as IEEE binary16, rounded to
     * nearest even; batch-norm and bias vectors stay float32, because a running variance can be too small for
     * binary16 to keep its digits.
     */
    FLOAT16;

    /** Whether a tensor of this rank is stored as binary16 under this precision. */
    boolean halves(int rank) {
        return this == FLOAT16 && rank >= 2;
    }
}
