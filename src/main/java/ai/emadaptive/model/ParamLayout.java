package ai.emadaptive.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tensor a {@link ModelSpec} needs, in a canonical order, with its shape and how it is initialised.
 * Convolution weights are [out, in, kH, kW]; dense weights are [in, out].
 */
public final class ParamLayout {

    public enum Kind {
        CONV_W,
        DENSE_W,
        BIAS,
        BN_GAMMA,
        BN_BETA,
        BN_MEAN,
        BN_VAR
    }

    public record Param(String name, long[] shape, Kind kind) {
        public long size() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        /** Fan-in used for He initialisation. */
        public long fanIn() {
            return kind == Kind.CONV_W ? shape[1] * shape[2] * shape[3] : shape[0];
        }
    }

    private final Map<String, Param> params = new LinkedHashMap<>();

    public ParamLayout(ModelSpec spec) {
        conv(Names.STEM_CONV, spec.width(), spec.inChannels(), spec.stem().kernel);
        bn(Names.STEM_BN, spec.width());
        for (int s = 1; s <= ModelSpec.STAGES; s++) {
            int out = spec.stageChannels(s);
            for (int b = 0; b < ModelSpec.BLOCKS_PER_STAGE; b++) {
                int in = b == 0 ? spec.stageInChannels(s) : out;
                conv(Names.conv1(s, b), out, in, 3);
                bn(Names.bn1(s, b), out);
                conv(Names.conv2(s, b), out, out, 3);
                bn(Names.bn2(s, b), out);
                if (hasDownsample(spec, s, b)) {
                    conv(Names.downConv(s, b), out, in, 1);
                    bn(Names.downBn(s, b), out);
                }
            }
            int c = out;
            switch (spec.headType()) {
                case MLP -> {
                    add(Names.headFc1W(s), Kind.DENSE_W, c, c);
                    add(Names.headFc1b(s), Kind.BIAS, c);
                }
                case CONV -> {
                    conv(Names.headConv(s), c, c, 3);
                    bn(Names.headBn(s), c);
                }
            }
            add(Names.headOutW(s), Kind.DENSE_W, c, spec.numClasses());
            add(Names.headOutb(s), Kind.BIAS, spec.numClasses());
        }
    }

    /** The first block of a stage changes resolution or width, so its shortcut is a 1x1 conv + BN. */
    public static boolean hasDownsample(ModelSpec spec, int stage, int block) {
        return block == 0 && (spec.stageStride(stage) != 1 || spec.stageInChannels(stage) != spec.stageChannels(stage));
    }

    private void conv(String name, int out, int in, int k) {
        add(name, Kind.CONV_W, out, in, k, k);
    }

    private void bn(String prefix, int c) {
        add(Names.gamma(prefix), Kind.BN_GAMMA, c);
        add(Names.beta(prefix), Kind.BN_BETA, c);
        add(Names.mean(prefix), Kind.BN_MEAN, c);
        add(Names.var(prefix), Kind.BN_VAR, c);
    }

    private void add(String name, Kind kind, long... shape) {
        params.put(name, new Param(name, shape, kind));
    }

    public List<Param> all() {
        return Collections.unmodifiableList(new ArrayList<>(params.values()));
    }

    public Param get(String name) {
        Param p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no tensor named " + name);
        return p;
    }

    public boolean contains(String name) {
        return params.containsKey(name);
    }

    /** Trainable parameters (everything but batch-norm running statistics). */
    public long trainableCount() {
        return params.values().stream()
                .filter(p -> !Names.isRunningStat(p.name()))
                .mapToLong(Param::size)
                .sum();
    }
}
