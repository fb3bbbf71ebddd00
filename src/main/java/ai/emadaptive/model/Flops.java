package ai.emadaptive.model;

/**
 * FLOPs counted from the architecture: 2 x multiply-accumulates of every convolution and dense layer.
 * Batch norm (folded into the convolutions when serving), ReLU, residual adds and pooling are not counted:
 * together they are under 1% of the total.
 */
public final class Flops {
    private final ModelSpec spec;
    private final long[] routerFlops;

    /** @param routerFlops FLOPs of the router consulted at exits 1..3 (index 0..2); empty when there are none */
    public Flops(ModelSpec spec, long[] routerFlops) {
        this.spec = spec;
        this.routerFlops = routerFlops.clone();
    }

    public Flops(ModelSpec spec) {
        this(spec, new long[0]);
    }

    static long conv(long in, long out, int k, int outSize) {
        return 2L * in * out * k * k * outSize * outSize;
    }

    static long dense(long in, long out) {
        return 2L * in * out;
    }

    public long stem() {
        int s = ModelSpec.convOut(spec.inputSize(), spec.stem().kernel, spec.stem().stride, spec.stem().kernel / 2);
        return conv(spec.inChannels(), spec.width(), spec.stem().kernel, s);
    }

    public long stage(int s) {
        long f = 0;
        int out = spec.stageChannels(s);
        int size = spec.stageSize(s);
        for (int b = 0; b < ModelSpec.BLOCKS_PER_STAGE; b++) {
            int in = b == 0 ? spec.stageInChannels(s) : out;
            f += conv(in, out, 3, size) + conv(out, out, 3, size);
            if (ParamLayout.hasDownsample(spec, s, b)) f += conv(in, out, 1, size);
        }
        return f;
    }

    public long head(int e) {
        int c = spec.stageChannels(e);
        long f = dense(c, spec.numClasses());
        return f
                + switch (spec.headType()) {
                    case MLP -> dense(c, c);
                    case CONV -> {
                        int stride = spec.convHeadStride(e);
                        yield conv(c, c, 3, ModelSpec.convOut(spec.stageSize(e), 3, stride, 1));
                    }
                };
    }

    public long router(int e) {
        return e <= routerFlops.length ? routerFlops[e - 1] : 0;
    }

    /** The plain network without early exits: stem, four stages, the final head. Costs are normalised by this. */
    public long fullNetwork() {
        long f = stem();
        for (int s = 1; s <= ModelSpec.STAGES; s++) f += stage(s);
        return f + head(ModelSpec.STAGES);
    }

    /**
     * The path a frame that leaves at exit {@code k} executes: stem, stages 1..k, heads 1..k and the routers of
     * exits 1..min(k, 3) that were consulted on the way.
     */
    public long exitPath(int k) {
        long f = stem();
        for (int s = 1; s <= k; s++) f += stage(s) + head(s);
        for (int s = 1; s <= Math.min(k, ModelSpec.STAGES - 1); s++) f += router(s);
        return f;
    }

    /** Backbone and head k only: the cost of a fixed exit k that consults nothing else. */
    public long fixedExit(int k) {
        long f = stem();
        for (int s = 1; s <= k; s++) f += stage(s);
        return f + head(k);
    }

    public double normalisedExitPath(int k) {
        return (double) exitPath(k) / fullNetwork();
    }
}
